import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** The commands of the first shell block under a README heading, without their comments. */
function commandsUnder(readme: string, heading: string): string[] {
  const section = readme.split(/^## /m).find((s) => s.startsWith(`${heading}\n`));
  const block = section && /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error(`no shell block under "## ${heading}"`);
  return block
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean);
}

/** The lines .ci/run runs (comments and echoed text left out). */
function ciLines(): string[] {
  return read('.ci/run')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && !/^(echo|step|printf) /.test(line));
}

describe('README for a newcomer', () => {
  const readme = read('README.md');

  it('stays under 300 lines and links nothing outside the repository', () => {
    expect(readme.split('\n').length).toBeLessThan(300);
    const links = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((l) => l.startsWith('..') || l.startsWith('/'))).toEqual([]);
  });

  it('names the commands CI runs: .ci/run installs with its quick start and tests with its test command', () => {
    const install = commandsUnder(readme, 'Quick start')[0];
    const tests = commandsUnder(readme, 'Tests');
    expect(install).toBe('npm ci');
    expect(tests).toEqual(['npm test']);
    const ci = ciLines();
    for (const command of [install, ...tests])
      expect(
        ci.some((line) => line === command || line.startsWith(`${command} `)),
        `${command} in .ci/run`,
      ).toBe(true);
  });
});
