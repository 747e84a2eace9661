import { isAddressEqual, keccak256, type Address, type Hex } from 'viem';
import { parseReceipt, ReceiptMalformedError } from '../../chain/receipt/parseReceipt.js';
import type { SignedReceipt } from '../../chain/receipt/receiptTypes.js';
import { recoverReceiptSigner } from '../../chain/receipt/recoverReceiptSigner.js';

/** Parameters of {@link verifyReceipt}. */
export type VerifyReceiptParameters = {
  /** The receipt as received: the `x-y2c-receipt` header, or a stream's `y2c.receipt`. */
  receipt: unknown;
  /** The provider that must have signed it, and its market's domain. */
  provider: Address;
  chainId: number;
  market: Address;
  /** What the client knows itself. */
  channelId: bigint;
  model: string;
  /** The request body bytes as sent. */
  requestBytes: Uint8Array;
  /** keccak256 of what was received (a stream: every byte before its final event). */
  responseHash: Hex;
  /** The tokens the client was told it was served (the usage it received). */
  tokensIn: bigint;
  tokensOut: bigint;
  /** Its own metering of those tokens at the quoted prices, and the total it checked. */
  cost: bigint;
  spentAfter: bigint;
  /** A receipt it already holds for the same step (the same total before the charge), if any. */
  sameStep?: SignedReceipt | undefined;
};

/** Return type of {@link verifyReceipt}. */
export type VerifyReceiptReturnType = { ok: true; receipt: SignedReceipt } | { ok: false; reason: string; receipt?: SignedReceipt };

/**
 * Verifies a provider's receipt for one response against the client's own records: it is signed by
 * the provider under its market's domain, names this channel and model, hashes exactly the bytes the
 * client sent and received, carries the tokens and the cost the client metered and the total it
 * checked, and does not fork the channel's chain (a second receipt for the same step with another
 * total is a double signature; the pair is the proof).
 *
 * @param parameters The receipt, the provider, and what the client knows.
 * @returns The verified receipt, or why it fails.
 * @example const verdict = await verifyReceipt({ receipt: response.headers.get('x-y2c-receipt'), provider, chainId, market, channelId, model, requestBytes, responseHash, tokensIn, tokensOut, cost, spentAfter });
 */
export async function verifyReceipt(parameters: VerifyReceiptParameters): Promise<VerifyReceiptReturnType> {
  let receipt: SignedReceipt;
  try {
    receipt = parseReceipt(parameters.receipt);
  } catch (error) {
    if (error instanceof ReceiptMalformedError) return { ok: false, reason: `its receipt is missing or malformed (${error.shortMessage})` };
    throw error;
  }
  const fail = (reason: string): VerifyReceiptReturnType => ({ ok: false, reason, receipt });
  let signer: Address;
  try {
    signer = await recoverReceiptSigner({ chainId: parameters.chainId, market: parameters.market, receipt });
  } catch {
    return fail('its receipt signature does not recover');
  }
  if (!isAddressEqual(signer, parameters.provider)) return fail(`its receipt is signed by ${signer}, not by the provider`);
  if (receipt.channelId !== parameters.channelId) return fail(`its receipt names channel ${receipt.channelId}, not ${parameters.channelId}`);
  if (receipt.model !== parameters.model) return fail(`its receipt names model ${receipt.model}, not ${parameters.model}`);
  if (receipt.requestHash !== keccak256(parameters.requestBytes)) return fail('its receipt hashes another request than the one sent');
  if (receipt.responseHash !== parameters.responseHash) return fail('its receipt hashes another response than the one received');
  if (receipt.tokensIn !== parameters.tokensIn || receipt.tokensOut !== parameters.tokensOut) {
    return fail(`its receipt says ${receipt.tokensIn} in / ${receipt.tokensOut} out, but it reported ${parameters.tokensIn} / ${parameters.tokensOut}`);
  }
  if (receipt.cost !== parameters.cost) return fail(`its receipt charges ${receipt.cost}, not the ${parameters.cost} metered`);
  if (receipt.spentAfter !== parameters.spentAfter) return fail(`its receipt says spent ${receipt.spentAfter}, not the ${parameters.spentAfter} reported`);
  const step = receipt.spentAfter - receipt.cost;
  const other = parameters.sameStep;
  if (other && other.spentAfter - other.cost === step && other.spentAfter !== receipt.spentAfter) {
    return fail(`it signed two totals (${other.spentAfter} and ${receipt.spentAfter}) after the same ${step}`);
  }
  return { ok: true, receipt };
}
