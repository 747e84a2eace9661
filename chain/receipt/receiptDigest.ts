import { keccak_256 } from '@noble/hashes/sha3';
import { hexToBytes, type Address } from 'viem';
import { marketTypedDigest } from '../voucher/marketTypedDigest.js';
import { writeUint256 } from '../voucher/writeUint256.js';
import type { Receipt } from './receiptTypes.js';

const encoder = new TextEncoder();
const receiptTypeHash = keccak_256(
  encoder.encode('Receipt(uint256 channelId,bytes32 requestHash,bytes32 responseHash,string model,uint256 tokensIn,uint256 tokensOut,uint256 cost,uint256 spentAfter)'),
);

/**
 * The EIP-712 digest of a receipt in the market's domain (what viem's `hashTypedData` with
 * `receiptTypes` gives), encoded by hand from bytes: nine words, the model as its keccak256.
 *
 * @param chainId Chain id of the market.
 * @param market The ComputeMarket contract.
 * @param receipt The receipt (without signature).
 * @returns The 32-byte digest.
 * @example const digest = receiptDigest(31337, market, receipt);
 */
export function receiptDigest(chainId: number, market: Address, receipt: Receipt): Uint8Array {
  const struct = new Uint8Array(288);
  struct.set(receiptTypeHash, 0);
  writeUint256(struct, 32, receipt.channelId);
  struct.set(hexToBytes(receipt.requestHash, { size: 32 }), 64);
  struct.set(hexToBytes(receipt.responseHash, { size: 32 }), 96);
  struct.set(keccak_256(encoder.encode(receipt.model)), 128);
  writeUint256(struct, 160, receipt.tokensIn);
  writeUint256(struct, 192, receipt.tokensOut);
  writeUint256(struct, 224, receipt.cost);
  writeUint256(struct, 256, receipt.spentAfter);
  return marketTypedDigest(chainId, market, keccak_256(struct));
}
