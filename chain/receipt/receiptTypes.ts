import type { Hex } from 'viem';

/**
 * The EIP-712 types of a provider's receipt for one served request:
 * `Receipt(uint256 channelId,bytes32 requestHash,bytes32 responseHash,string model,uint256 tokensIn,uint256 tokensOut,uint256 cost,uint256 spentAfter)`,
 * signed by the provider's key under the market's voucher domain (ComputeMarket/1, chain id, market).
 */
export const receiptTypes = {
  Receipt: [
    { name: 'channelId', type: 'uint256' },
    { name: 'requestHash', type: 'bytes32' },
    { name: 'responseHash', type: 'bytes32' },
    { name: 'model', type: 'string' },
    { name: 'tokensIn', type: 'uint256' },
    { name: 'tokensOut', type: 'uint256' },
    { name: 'cost', type: 'uint256' },
    { name: 'spentAfter', type: 'uint256' },
  ],
} as const;

/** The EIP-712 primary type of a receipt. */
export const receiptPrimaryType = 'Receipt' as const;

/**
 * What the provider attests for one response: the request and the response it hashed, the tokens it
 * metered, what it charged, and the channel's total after the charge (`spentAfter − cost` is the
 * step: the total before it).
 */
export type Receipt = {
  channelId: bigint;
  /** keccak256 of the request body bytes as received. */
  requestHash: Hex;
  /** keccak256 of the response body bytes (a stream: every byte before the final event). */
  responseHash: Hex;
  model: string;
  tokensIn: bigint;
  tokensOut: bigint;
  cost: bigint;
  spentAfter: bigint;
};

/** A receipt with the provider's 65-byte signature. */
export type SignedReceipt = Receipt & { signature: Hex };


/** A receipt on the wire: amounts as decimal strings. */
export type ReceiptWire = {
  channelId: string;
  requestHash: Hex;
  responseHash: Hex;
  model: string;
  tokensIn: string;
  tokensOut: string;
  cost: string;
  spentAfter: string;
  signature: Hex;
};
