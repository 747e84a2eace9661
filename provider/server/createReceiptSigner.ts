import { keccak_256 } from '@noble/hashes/sha3';
import { bytesToHex, keccak256, stringToBytes, type Account, type Address, type Hex } from 'viem';
import { formatReceipt } from '../../chain/receipt/formatReceipt.js';
import type { ReceiptWire } from '../../chain/receipt/receiptTypes.js';
import { signReceipt } from '../../chain/receipt/signReceipt.js';

/** Parameters of {@link createReceiptSigner}. */
export type CreateReceiptSignerParameters = {
  /** The provider's key. */
  account: Account;
  /** Chain id of the market. */
  chainId: number;
  /** The ComputeMarket contract. */
  market: Address;
  /** The account's private key, to sign natively (libsecp256k1); without it, the account signs. */
  privateKey?: Hex;
};

/** What one served response is attested with. */
export type ReceiptFacts = {
  channelId: bigint;
  /** keccak256 of the request body (see `hashText`). */
  requestHash: Hex;
  /** keccak256 of the response body, or of a stream's bytes before its final event. */
  responseHash: Hex;
  model: string;
  tokensIn: number;
  tokensOut: number;
  cost: bigint;
  spentAfter: bigint;
};

/** Return type of {@link createReceiptSigner}. */
export type CreateReceiptSignerReturnType = {
  /** Signs the receipt of one response, in its wire form. */
  sign: (facts: ReceiptFacts) => Promise<ReceiptWire>;
  /** keccak256 of a text's UTF-8 bytes. */
  hashText: (text: string) => Hex;
  /** An incremental keccak256 over a stream's written text. */
  streamHasher: () => { update: (text: string) => void; digest: () => Hex };
};

/**
 * The provider's receipts: each response is attested by an EIP-712 `Receipt` signed with the
 * provider's key (channel, request and response hashes, model, tokens, cost, spent after), so the
 * payer holds proof of what it was charged and the provider is bound by what it signed.
 *
 * @param parameters The key and the market's domain.
 * @returns `{ sign, hashText, streamHasher }`.
 * @example const receipts = createReceiptSigner({ account: client.account, chainId, market });
 */
export function createReceiptSigner(parameters: CreateReceiptSignerParameters): CreateReceiptSignerReturnType {
  const { account, chainId, market } = parameters;
  return {
    async sign(facts) {
      const signed = await signReceipt({
        account,
        chainId,
        market,
        receipt: { ...facts, tokensIn: BigInt(facts.tokensIn), tokensOut: BigInt(facts.tokensOut) },
        ...(parameters.privateKey ? { privateKey: parameters.privateKey } : {}),
      });
      return formatReceipt(signed);
    },
    hashText: (text) => keccak256(stringToBytes(text)),
    streamHasher() {
      const hasher = keccak_256.create();
      return { update: (text) => void hasher.update(stringToBytes(text)), digest: () => bytesToHex(hasher.digest()) };
    },
  };
}
