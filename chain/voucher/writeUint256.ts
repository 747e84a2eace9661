/**
 * Writes a uint256 big-endian into 32 bytes of `target` (ABI word encoding by hand, for EIP-712 digests).
 *
 * @param target The buffer.
 * @param offset Where the word starts.
 * @param value A value in [0, 2^256).
 * @example writeUint256(buffer, 32, channelId);
 */
export function writeUint256(target: Uint8Array, offset: number, value: bigint): void {
  let rest = value;
  for (let i = 31; i >= 0; i--) {
    target[offset + i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}
