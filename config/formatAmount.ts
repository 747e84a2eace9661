/** Parameters of {@link formatAmount}: token units, and the token's decimals. */
export type FormatAmountParameters = [value: bigint, decimals: number];

/** Decimal text without trailing zeros. */
export type FormatAmountReturnType = string;

/**
 * Writes token units as a decimal string, the inverse of `parseAmount`: `12_500_000n, 6` → `"12.5"`.
 *
 * @param value Amount in the token's smallest units (may be negative).
 * @param decimals Decimals of the token.
 * @returns Decimal text, shortest exact form.
 * @example
 * formatAmount(1_250_000n, 6) // '1.25'
 */
export function formatAmount(...[value, decimals]: FormatAmountParameters): FormatAmountReturnType {
  const negative = value < 0n;
  const units = negative ? -value : value;
  const base = 10n ** BigInt(decimals);
  const whole = units / base;
  const fraction = decimals === 0 ? '' : (units % base).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
