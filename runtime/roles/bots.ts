import { createServer, type Server } from 'node:http';
import type { Notifier } from '../../application/notifications.js';
import type { Purchases } from '../../application/purchases.js';
import type { RefundFlows } from '../../application/refunds.js';
import { createChatNotifiers, type StartedBots, startBots } from '../../bots/index.js';
import { withBodyLimit } from '../../integrations/api/server.js';
import type { Config } from '../config.js';
import type { AppContext } from '../context.js';
import type { StopStack } from '../stop-stack.js';
import { closeServer, listen } from './http.js';

/** Slack and Discord, as configured (either may be absent). */
export async function botsFor(
  ctx: AppContext,
  config: Config,
  purchases: Purchases | undefined,
  stops: StopStack,
  refundFlows?: RefundFlows,
): Promise<StartedBots> {
  const bots = await startBots(ctx, config, { purchases, refundFlows });
  stops.push('bots', () => bots.stop());
  return bots;
}

/** Chat senders for a worker process (no receiver, no gateway connection). */
export function chatNotifiersFor(ctx: AppContext, config: Config, purchases: Purchases): Notifier[] {
  return createChatNotifiers(ctx, config, { purchases });
}

/** Which chat platforms run, and where Slack's events arrive (`base` + the receiver's path). */
export function describeBots(bots: StartedBots, base: string): string {
  const slack = bots.mounts[0]
    ? `Slack (HTTP events at ${base}${bots.mounts[0].path})`
    : 'Slack (Socket Mode)';
  return [bots.slack ? slack : null, bots.discord ? 'Discord' : null].filter(Boolean).join(', ');
}

/** `serve bots` on PORT: Slack's HTTP events (when not Socket Mode) and /healthz (the database answers). */
export async function botsHealthServer(
  port: number,
  bots: StartedBots,
  ctx: AppContext,
  stops: StopStack,
): Promise<Server> {
  const server = createServer((req, res) => {
    const mount = bots.mounts.find((m) => req.url?.startsWith(m.path));
    if (mount) return withBodyLimit(mount.listener)(req, res);
    if (req.url === '/healthz') {
      ctx.ledger.ping().then(
        () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'),
        () => res.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"unavailable"}'),
      );
      return;
    }
    res.writeHead(404).end();
  });
  await listen(server, port);
  stops.push('bots health', () => closeServer(server));
  return server;
}
