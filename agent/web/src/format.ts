import { formatUnits } from 'viem';

/**
 * Formats token units as a human amount with at most `digits` decimals and thousands separators;
 * a non-zero amount too small for `digits` shows every decimal it needs rather than a bare 0.
 *
 * @param units Decimal string or bigint of smallest units.
 * @param decimals Token decimals.
 * @param digits Decimals shown (default 2).
 * @returns e.g. `8,500.01`.
 */
export function formatAmount(units: string | bigint, decimals: number, digits = 2): string {
  const [whole = '0', fraction = ''] = formatUnits(BigInt(units), decimals).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  let shown = fraction.slice(0, digits).replace(/0+$/, '');
  if (whole === '0' && !shown && fraction) shown = fraction.replace(/0+$/, '');
  return shown ? `${grouped}.${shown}` : grouped;
}
