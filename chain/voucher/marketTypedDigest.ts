import { keccak_256 } from '@noble/hashes/sha3';
import type { Address } from 'viem';
import { writeUint256 } from './writeUint256.js';

const encoder = new TextEncoder();
const domainTypeHash = keccak_256(encoder.encode('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)'));
const nameHash = keccak_256(encoder.encode('ComputeMarket'));
const versionHash = keccak_256(encoder.encode('1'));
const separators = new Map<string, Uint8Array>();

/**
 * The EIP-712 digest `keccak256(0x1901 ‖ domainSeparator ‖ structHash)` in the market's domain
 * (`ComputeMarket`, version 1, chain id, the market), hashed by hand: the separator is computed once per
 * market. Vouchers and receipts are both signed in this domain.
 *
 * @param chainId Chain id of the market.
 * @param market The ComputeMarket contract.
 * @param structHash The typed struct's hash.
 * @returns The 32-byte digest.
 * @example marketTypedDigest(31337, market, keccak_256(struct))
 */
export function marketTypedDigest(chainId: number, market: Address, structHash: Uint8Array): Uint8Array {
  const key = `${chainId}:${market.toLowerCase()}`;
  let separator = separators.get(key);
  if (!separator) {
    const encoded = new Uint8Array(160);
    encoded.set(domainTypeHash, 0);
    encoded.set(nameHash, 32);
    encoded.set(versionHash, 64);
    writeUint256(encoded, 96, BigInt(chainId));
    writeUint256(encoded, 128, BigInt(market));
    separator = keccak_256(encoded);
    separators.set(key, separator);
  }
  const digest = new Uint8Array(66);
  digest[0] = 0x19;
  digest[1] = 0x01;
  digest.set(separator, 2);
  digest.set(structHash, 34);
  return keccak_256(digest);
}
