import { AgentError } from '../../core/AgentError.js';
import type { SignedReceipt } from './receiptTypes.js';

/** A receipt that is missing or not well formed. */
export class ReceiptMalformedError extends AgentError {
  override name = 'ReceiptMalformedError' as const;
}

const amount = /^[0-9]{1,78}$/;
const hash = /^0x[0-9a-fA-F]{64}$/;
const signature = /^0x[0-9a-fA-F]{130}$/;

/**
 * Parses a receipt from its wire form: the object of a stream's final event, or the base64url JSON
 * of the `x-y2c-receipt` header.
 *
 * @param input The header value or the object.
 * @returns The receipt with bigint amounts.
 * @throws {ReceiptMalformedError} When a field is missing or malformed.
 * @example const receipt = parseReceipt(response.headers.get(protocolHeaders.receipt));
 */
export function parseReceipt(input: unknown): SignedReceipt {
  let wire: unknown = input;
  if (typeof input === 'string') {
    try {
      wire = JSON.parse(Buffer.from(input, 'base64url').toString('utf8'));
    } catch {
      throw new ReceiptMalformedError('The receipt header is not base64url JSON.');
    }
  }
  if (typeof wire !== 'object' || wire === null) throw new ReceiptMalformedError('No receipt came with the response.');
  const w = wire as Record<string, unknown>;
  const need = (name: string, pattern: RegExp): string => {
    const value = w[name];
    if (typeof value !== 'string' || !pattern.test(value)) throw new ReceiptMalformedError(`The receipt's ${name} is malformed.`, { details: JSON.stringify(value)?.slice(0, 80) });
    return value;
  };
  if (typeof w.model !== 'string' || w.model.length > 256) throw new ReceiptMalformedError("The receipt's model is malformed.");
  return {
    channelId: BigInt(need('channelId', amount)),
    requestHash: need('requestHash', hash) as `0x${string}`,
    responseHash: need('responseHash', hash) as `0x${string}`,
    model: w.model,
    tokensIn: BigInt(need('tokensIn', amount)),
    tokensOut: BigInt(need('tokensOut', amount)),
    cost: BigInt(need('cost', amount)),
    spentAfter: BigInt(need('spentAfter', amount)),
    signature: need('signature', signature) as `0x${string}`,
  };
}
