import { join } from 'node:path';
import { registerCommands } from '../bots/discord/register.js';
import { startConsole } from '../bots/index.js';
import { isConnectionError } from '../ledger/db.js';
import { chatPurchases } from '../runtime/chat-purchases.js';
import type { Config } from '../runtime/config.js';
import { ConfigError } from '../runtime/config.js';
import { chatContext } from '../runtime/roles/cli.js';

/**
 * `credits chat [--workspace demo --member demo-owner]` (`npm run chat`): the chat console against
 * DATABASE_URL, or the embedded PostgreSQL that `npm start` runs in another terminal.
 */
export async function chat(
  config: Config,
  options: { workspace?: string; member?: string },
): Promise<number> {
  const { ctx, databaseUrl } = chatContext(config);
  const temporal = await chatPurchases(ctx, config);
  try {
    const { purchases } = temporal;
    await startConsole(ctx, {
      ...options,
      purchases,
      chartsDir: join(config.CREDITS_DATA_DIR, 'charts'),
      // The console's `web` links: PUBLIC_URL when set, else the API `npm start` serves on PORT here.
      publicUrl: config.PUBLIC_URL ?? `http://127.0.0.1:${config.PORT}`,
    });
    return 0;
  } catch (error) {
    if (!isConnectionError(error)) throw error;
    console.error(
      `No database at ${new URL(databaseUrl).host}: run \`npm start\` in another terminal (it starts the embedded PostgreSQL and seeds the demo workspace), or set DATABASE_URL.`,
    );
    return 1;
  } finally {
    await temporal.close();
    await ctx.close();
  }
}

/** `credits discord-register [--guild ID]`: registers /credits globally or in one guild (instant). */
export async function discordRegister(config: Config, guildId?: string): Promise<number> {
  const problems = [
    config.DISCORD_TOKEN ? null : 'DISCORD_TOKEN: is required (the bot token from the Developer Portal)',
    config.DISCORD_APPLICATION_ID ? null : 'DISCORD_APPLICATION_ID: is required (the application id)',
  ].filter((p): p is string => p !== null);
  if (problems.length > 0) throw new ConfigError(problems);
  const commands = await registerCommands({
    token: config.DISCORD_TOKEN!,
    applicationId: config.DISCORD_APPLICATION_ID!,
    guildId,
    apiUrl: config.DISCORD_API_URL,
    catalogFile: config.CATALOG_FILE,
  });
  console.log(
    `Registered ${commands.map((c) => `/${c.name}`).join(', ')} ${guildId ? `in guild ${guildId}` : 'globally'}.`,
  );
  return 0;
}
