import { describe, expect, it } from 'vitest';
import { AmountError } from './AmountError.js';
import { formatUnits } from 'viem';
import { parseAmount } from './parseAmount.js';

describe('parseAmount', () => {
  it.each([
    ['0', 6, 0n],
    ['1', 6, 1_000_000n],
    ['1.25', 6, 1_250_000n],
    ['0.000001', 6, 1n],
    [' 42.5 ', 6, 42_500_000n],
    ['123456789012345678901234567890', 18, 123456789012345678901234567890n * 10n ** 18n],
    ['7', 0, 7n],
  ])('reads %j with %i decimals', (value, decimals, expected) => {
    expect(parseAmount(value, decimals)).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['-1', 'negative'],
    ['abc', 'not a plain decimal'],
    ['1e6', 'not a plain decimal'],
    ['1,5', 'not a plain decimal'],
    ['.5', 'not a plain decimal'],
    ['1.', 'not a plain decimal'],
    ['0x10', 'not a plain decimal'],
    ['1.0000001', '7 decimals, at most 6'],
  ])('refuses %j (%s)', (value, problem) => {
    const error = (() => {
      try {
        parseAmount(value, 6);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(AmountError);
    expect((error as AmountError).name).toBe('AmountError');
    expect((error as AmountError).message).toContain(problem);
    expect((error as AmountError).message).toContain(JSON.stringify(value));
  });

  it('round-trips with viem formatUnits (config/formatAmount, used only by this test, is gone)', () => {
    for (const text of ['0', '1', '1.5', '0.000001', '1000000.123456']) expect(formatUnits(parseAmount(text, 6), 6)).toBe(text);
    expect(formatUnits(-1_500_000n, 6)).toBe('-1.5');
    expect(formatUnits(5n, 0)).toBe('5');
  });
});
