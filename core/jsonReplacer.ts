/**
 * The `JSON.stringify` replacer every y2c edge uses: bigints become decimal strings (amounts are
 * decimal strings on the wire), everything else is left as is.
 *
 * @param _key The property name (unused).
 * @param value The value being serialized.
 * @returns The value, a bigint as its decimal string.
 * @example JSON.stringify({ amount: 5n }, jsonReplacer) // '{"amount":"5"}'
 */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
