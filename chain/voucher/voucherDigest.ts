import { keccak_256 } from '@noble/hashes/sha3';
import type { Address } from 'viem';

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
const domainTypeHash = keccak_256(encoder.encode('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)'));
const voucherTypeHash = keccak_256(encoder.encode('Voucher(uint256 channelId,uint256 authorized)'));
const nameHash = keccak_256(encoder.encode('ComputeMarket'));
const versionHash = keccak_256(encoder.encode('1'));
const separators = new Map<string, Uint8Array>();

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
  const digest = new Uint8Array(66);
  digest[0] = 0x19;
  digest[1] = 0x01;
  digest.set(domainSeparator(parameters.chainId, parameters.market), 2);
  digest.set(keccak_256(struct), 34);
  return keccak_256(digest);
}

function domainSeparator(chainId: number, market: Address): Uint8Array {
  const key = `${chainId}:${market.toLowerCase()}`;
  const cached = separators.get(key);
  if (cached) return cached;
  const encoded = new Uint8Array(160);
  encoded.set(domainTypeHash, 0);
  encoded.set(nameHash, 32);
  encoded.set(versionHash, 64);
  writeUint256(encoded, 96, BigInt(chainId));
  writeUint256(encoded, 128, BigInt(market));
  const separator = keccak_256(encoded);
  separators.set(key, separator);
  return separator;
}

function writeUint256(target: Uint8Array, offset: number, value: bigint): void {
  let rest = value;
  for (let i = 31; i >= 0; i--) {
    target[offset + i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}
