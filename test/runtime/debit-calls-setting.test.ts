import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../runtime/config.js';

describe('DEBIT_CALLS_IN_FLIGHT', () => {
  it('defaults to 2 (a 2-core database) and takes a whole number from 1 to 64', () => {
    expect(loadConfig({}).DEBIT_CALLS_IN_FLIGHT).toBe(2);
    expect(loadConfig({ DEBIT_CALLS_IN_FLIGHT: '' }).DEBIT_CALLS_IN_FLIGHT).toBe(2);
    expect(loadConfig({ DEBIT_CALLS_IN_FLIGHT: '8' }).DEBIT_CALLS_IN_FLIGHT).toBe(8);
  });

  it.each(['0', '1.5', 'many', '65'])('refuses %s, naming the setting', (value) => {
    expect(() => loadConfig({ DEBIT_CALLS_IN_FLIGHT: value })).toThrow(ConfigError);
    expect(() => loadConfig({ DEBIT_CALLS_IN_FLIGHT: value })).toThrow(/DEBIT_CALLS_IN_FLIGHT/);
  });
});
