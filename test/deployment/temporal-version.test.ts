import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { serverEnvironment } from '../../bench/cluster/temporal-server.js';
import { TEMPORAL_SERVER_VERSION } from '../../runtime/temporal-server-provision.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(`${root}docker-compose.yml`, 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;

/**
 * docker-compose.yml runs the Temporal images; `npm run e2e:cluster` runs the server built from the
 * Go module. They are the same deployment only while the versions, the server's environment and
 * the set-up scripts are the same.
 */
describe('the compose file and npm run e2e:cluster run the same Temporal', () => {
  it('pins temporalio/server and temporalio/admin-tools to the version the e2e builds', () => {
    const temporalImages = Object.entries(services)
      .map(([name, s]) => [name, s.image ?? ''] as const)
      .filter(([, image]) => image.startsWith('temporalio/') && !image.startsWith('temporalio/ui'));
    expect(temporalImages.map(([name]) => name).sort()).toEqual([
      'temporal',
      'temporal-namespace',
      'temporal-schema',
    ]);
    for (const [name, image] of temporalImages) {
      expect(image, name).toBe(
        `temporalio/${name === 'temporal' ? 'server' : 'admin-tools'}:${TEMPORAL_SERVER_VERSION.replace(/^v/, '')}`,
      );
    }
    expect(readFileSync(`${root}docker-compose.yml`, 'utf8')).not.toContain('auto-setup');
  });

  it('configures the server through the same environment variables as the e2e', () => {
    const composeNames = Object.keys(services.temporal!.environment ?? {}).sort();
    expect(composeNames).toEqual(Object.keys(serverEnvironment(5432, 4)).sort());
  });

  it('sets up the schema and the namespace with the scripts the e2e runs, in order', () => {
    const mounted = (s: Service) => (s.volumes ?? []).some((v) => v.startsWith('./deploy/temporal:'));
    expect(services['temporal-schema']!.command?.join(' ')).toMatch(/setup-schema\.sh$/);
    expect(services['temporal-namespace']!.command?.join(' ')).toMatch(/register-namespace\.sh$/);
    for (const name of ['temporal-schema', 'temporal', 'temporal-namespace'])
      expect(mounted(services[name]!), name).toBe(true);
    for (const file of ['setup-schema.sh', 'register-namespace.sh', 'dynamic-config.yaml'])
      expect(existsSync(`${root}deploy/temporal/${file}`), file).toBe(true);
    // postgres → schema job → server (healthy) → namespace job → the Credits services.
    expect(services['temporal-schema']!.depends_on?.postgres?.condition).toBe('service_healthy');
    expect(services.temporal!.depends_on?.['temporal-schema']?.condition).toBe(
      'service_completed_successfully',
    );
    expect(services['temporal-namespace']!.depends_on?.temporal?.condition).toBe('service_healthy');
    for (const role of ['worker', 'api', 'bots']) {
      expect(services[role]!.depends_on?.['temporal-namespace']?.condition, role).toBe(
        'service_completed_successfully',
      );
    }
  });
});
