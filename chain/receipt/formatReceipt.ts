import type { ReceiptWire, SignedReceipt } from './receiptTypes.js';

/**
 * A signed receipt in its wire form (amounts as decimal strings), for a stream's final event; the
 * header form is its JSON in base64url (`Buffer.from(JSON.stringify(wire)).toString('base64url')`).
 *
 * @param receipt The signed receipt.
 * @returns The JSON-ready wire form.
 * @example res.setHeader(protocolHeaders.receipt, Buffer.from(JSON.stringify(formatReceipt(signed))).toString('base64url'));
 */
export function formatReceipt(receipt: SignedReceipt): ReceiptWire {
  return {
    channelId: receipt.channelId.toString(),
    requestHash: receipt.requestHash,
    responseHash: receipt.responseHash,
    model: receipt.model,
    tokensIn: receipt.tokensIn.toString(),
    tokensOut: receipt.tokensOut.toString(),
    cost: receipt.cost.toString(),
    spentAfter: receipt.spentAfter.toString(),
    signature: receipt.signature,
  };
}
