import { keccak_256 } from '@noble/hashes/sha3';
import type { Address } from 'viem';
import { marketTypedDigest } from './marketTypedDigest.js';
import { writeUint256 } from './writeUint256.js';

/** Parameters of {@link voucherDigest}. */
export type VoucherDigestParameters = {
  /** Chain id of the market. */
  chainId: number;
  /** The ComputeMarket contract. */
  market: Address;
  /** Channel id. */
  channelId: bigint;
  /** Cumulative amount authorized. */
  authorized: bigint;
};

/** Return type of {@link voucherDigest}: the 32-byte EIP-712 digest. */
export type VoucherDigestReturnType = Uint8Array;

const encoder = new TextEncoder();
const voucherTypeHash = keccak_256(encoder.encode('Voucher(uint256 channelId,uint256 authorized)'));

/**
 * The EIP-712 digest of `Voucher(channelId, authorized)` (what the market's `voucherDigest` returns),
 * hashed by hand from bytes: the domain separator is computed once per market, so a digest costs
 * two keccak calls.
 *
 * @param parameters The domain and the voucher.
 * @returns The digest bytes.
 * @example bytesToHex(voucherDigest({ chainId, market, channelId: 1n, authorized: 10n }))
 */
export function voucherDigest(parameters: VoucherDigestParameters): VoucherDigestReturnType {
  const struct = new Uint8Array(96);
  struct.set(voucherTypeHash, 0);
  writeUint256(struct, 32, parameters.channelId);
  writeUint256(struct, 64, parameters.authorized);
  return marketTypedDigest(parameters.chainId, parameters.market, keccak_256(struct));
}
