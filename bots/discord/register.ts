import { pathToFileURL } from 'node:url';
import { REST, Routes } from 'discord.js';
import { defaultCatalogPath, loadCatalog } from '../../ledger/catalog/index.js';
import { loadConfig } from '../../runtime/config.js';
import { creditsCommand } from './commands.js';

/**
 * Registers the /credits command: globally, or in one guild with --guild <id> (instant, for testing).
 * `npm run discord:register [-- --guild 123]` with DISCORD_TOKEN and DISCORD_APPLICATION_ID set.
 */
export async function registerCommands(options: {
  token: string;
  applicationId: string;
  guildId?: string;
  apiUrl?: string;
  catalogFile?: string;
}): Promise<{ id: string; name: string }[]> {
  const catalog = loadCatalog(options.catalogFile ?? defaultCatalogPath());
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  return (await rest.put(route, { body: [creditsCommand(catalog)] })) as { id: string; name: string }[];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const config = loadConfig();
  const problems = [
    config.DISCORD_TOKEN ? null : 'DISCORD_TOKEN is not set (the bot token from the Developer Portal)',
    config.DISCORD_APPLICATION_ID ? null : 'DISCORD_APPLICATION_ID is not set (the application id)',
  ].filter(Boolean);
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  const i = process.argv.indexOf('--guild');
  const guildId = i >= 0 ? process.argv[i + 1] : undefined;
  registerCommands({
    token: config.DISCORD_TOKEN!,
    applicationId: config.DISCORD_APPLICATION_ID!,
    guildId,
    apiUrl: config.DISCORD_API_URL,
    catalogFile: config.CATALOG_FILE,
  }).then(
    (commands) =>
      console.log(
        `Registered ${commands.map((c) => `/${c.name}`).join(', ')} ${guildId ? `in guild ${guildId}` : 'globally'}.`,
      ),
    (error: unknown) => {
      console.error(`Registration failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
