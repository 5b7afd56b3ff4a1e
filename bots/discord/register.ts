import { REST, Routes } from 'discord.js';
import { defaultCatalogPath, loadCatalog } from '../../ledger/catalog/index.js';
import { creditsCommand } from './commands.js';

/**
 * Registers the /credits command: globally, or in one guild with --guild <id> (instant, for testing).
 * `npm run discord:register [-- --guild 123]` (`credits discord-register`) with DISCORD_TOKEN and DISCORD_APPLICATION_ID set.
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
