import { AmountError } from './AmountError.js';

/** Parameters of {@link parseAmount}: the decimal text, and the token's decimals. */
export type ParseAmountParameters = [value: string, decimals: number];

/** Token units, as a bigint. */
export type ParseAmountReturnType = bigint;

/** Errors {@link parseAmount} throws. */
export type ParseAmountErrorType = AmountError;

const decimalPattern = /^\d+(?:\.\d+)?$/;

/**
 * Reads a decimal amount (`"12.5"`) as integer token units (`12_500_000n` for 6 decimals),
 * exactly: no floating point, no rounding.
 *
 * @param value Decimal text; surrounding spaces are ignored.
 * @param decimals Decimals of the token (6 for USDx).
 * @returns The amount in the token's smallest units.
 * @throws {AmountError} When the text is empty, not a plain decimal, negative, or has more
 *   decimals than the token.
 * @example
 * parseAmount('1.25', 6) // 1_250_000n
 */
export function parseAmount(...[value, decimals]: ParseAmountParameters): ParseAmountReturnType {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 77)
    throw new RangeError(`parseAmount: decimals must be an integer in 0..77, got ${decimals}`);
  if (typeof value !== 'string') throw new AmountError({ value: String(value), decimals, problem: 'it is not text' });
  const text = value.trim();
  if (text === '') throw new AmountError({ value, decimals, problem: 'it is empty' });
  if (text.startsWith('-')) throw new AmountError({ value, decimals, problem: 'it is negative' });
  if (!decimalPattern.test(text))
    throw new AmountError({ value, decimals, problem: 'it is not a plain decimal number (digits, an optional "." and digits)' });
  const [whole = '0', fraction = ''] = text.split('.');
  if (fraction.length > decimals)
    throw new AmountError({
      value,
      decimals,
      problem: `it has ${fraction.length} decimals, at most ${decimals} allowed`,
    });
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
}
