/**
 * The baseline phase of bench/lifecycle.ts in a process of its own, which bench/lifecycle.ts
 * spawns: the renewals' worker process then starts as fresh as the baseline's. (In one process
 * the baseline's 10,000 flows left the renewal phase a 4.4 GB process and tripled the worker's CPU
 * per renewal.) Reads its settings from BENCH_BASELINE_INPUT (JSON) and prints its result as
 * JSON on stdout's last line.
 */
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { freePort } from '../runtime/temporal.js';
import { connectClient } from '../workflows/client.js';
import { runTimerBaseline } from './lifecycle-baseline.js';

/** runTimerBaseline's settings, less what only this process can make; and the server's address. */
type BaselineInput = Omit<Parameters<typeof runTimerBaseline>[0], 'connection' | 'client' | 'metricsUrl'> & {
  address: string;
};

async function main() {
  const input = JSON.parse(process.env.BENCH_BASELINE_INPUT ?? '') as BaselineInput;
  const metricsPort = await freePort();
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${metricsPort}` } } },
  });
  const connection = await NativeConnection.connect({ address: input.address });
  const client = await connectClient({ address: input.address, namespace: 'default' });
  try {
    const result = await runTimerBaseline({
      ...input,
      connection,
      client,
      metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    });
    process.stdout.write(`\n${JSON.stringify(result)}\n`);
  } finally {
    await client.connection.close();
    await connection.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
