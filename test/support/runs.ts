/**
 * How many cases a fast-check property tries: a few locally, so a run stays quick, and more in CI
 * (`.ci/run` sets CI=true), where a rare history has more chances to turn up. The environment
 * variable `override`, when set, wins (e.g. DEBIT_FUNCTION_RUNS=500 to hunt for a case).
 */
export function propertyRuns(runs: { local: number; ci: number; override?: string }): number {
  const asked = runs.override === undefined ? undefined : process.env[runs.override];
  if (asked !== undefined && asked !== '') {
    const n = Number(asked);
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${runs.override} must be a whole number ≥ 1`);
    return n;
  }
  return process.env.CI === 'true' ? runs.ci : runs.local;
}
