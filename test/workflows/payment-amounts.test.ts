import { describe, expect, it } from 'vitest';
import { fromMinorUnits, toMinorUnits } from '../../workflows/purchase/payment.js';

describe('exact amounts for the payment providers', () => {
  it('converts decimals to minor units with integer arithmetic, both ways', () => {
    expect(toMinorUnits('50.00', 'usd')).toBe(5000n);
    expect(toMinorUnits('0.29', 'EUR')).toBe(29n); // 0.29 * 100 is 28.999999999999996 in floats
    expect(toMinorUnits('1.1', 'usd')).toBe(110n);
    expect(toMinorUnits('12', 'usd')).toBe(1200n);
    expect(toMinorUnits('92233720368547758.07', 'usd')).toBe(9223372036854775807n);
    expect(toMinorUnits('5000', 'JPY')).toBe(5000n);
    expect(toMinorUnits('5000.00', 'jpy')).toBe(5000n);
    expect(toMinorUnits('1.234', 'KWD')).toBe(1234n);
    expect(fromMinorUnits(5000n, 'usd')).toBe('50.00');
    expect(fromMinorUnits(7n, 'usd')).toBe('0.07');
    expect(fromMinorUnits(5000n, 'jpy')).toBe('5000');
    expect(fromMinorUnits(toMinorUnits('3500.01', 'usd'), 'usd')).toBe('3500.01');
  });

  it('refuses what cannot be charged exactly', () => {
    expect(() => toMinorUnits('0.001', 'usd')).toThrow(/more decimals than USD/);
    expect(() => toMinorUnits('10.5', 'jpy')).toThrow(/more decimals than JPY/);
    expect(() => toMinorUnits('-1.00', 'usd')).toThrow(/not a non-negative decimal/);
    expect(() => toMinorUnits('1e3', 'usd')).toThrow(/not a non-negative decimal/);
  });
});
