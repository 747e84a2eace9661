import { AgentError } from '../../core/AgentError.js';
import type { SignedVoucher } from './voucherTypes.js';

/** Return type of {@link parseVoucherHeader}. */
export type ParseVoucherHeaderReturnType = SignedVoucher;

/** The `x-y2c-voucher` header is not `channelId:authorized:signature`. */
export class VoucherMalformedError extends AgentError {
  override name = 'VoucherMalformedError' as const;
}

const maxUint256 = (1n << 256n) - 1n;
const decimal = /^(0|[1-9][0-9]{0,77})$/;
const signatureHex = /^0x[0-9a-fA-F]{130}$/;

/**
 * Parses the `x-y2c-voucher` header strictly: a decimal channel id ≥ 1, a decimal amount (no sign,
 * no leading zeros, no exponent, at most uint256) and a 65-byte hex signature, separated by `:`.
 *
 * @param header The header value.
 * @returns The voucher, with the signature lowercased.
 * @throws {VoucherMalformedError} When any part is missing or not in the strict form.
 * @example parseVoucherHeader('1:250:0x…') // { channelId: 1n, authorized: 250n, signature: '0x…' }
 */
export function parseVoucherHeader(header: string): ParseVoucherHeaderReturnType {
  const parts = header.trim().split(':');
  if (parts.length !== 3) throw malformed(header, 'expected three parts separated by ":"');
  const [id, amount, signature] = parts as [string, string, string];
  if (!decimal.test(id)) throw malformed(header, 'the channel id is not a decimal integer');
  if (!decimal.test(amount)) throw malformed(header, 'the authorized amount is not a decimal integer');
  if (!signatureHex.test(signature)) throw malformed(header, 'the signature is not 65 bytes of hex');
  const channelId = BigInt(id);
  const authorized = BigInt(amount);
  if (channelId === 0n) throw malformed(header, 'channel ids start at 1');
  if (channelId > maxUint256 || authorized > maxUint256) throw malformed(header, 'a number exceeds uint256');
  return { channelId, authorized, signature: signature.toLowerCase() as `0x${string}` };
}

function malformed(header: string, why: string): VoucherMalformedError {
  return new VoucherMalformedError(`The voucher header is malformed: ${why}.`, {
    details: `expected channelId:authorized:signature, got ${JSON.stringify(header.slice(0, 200))}`,
    docsPath: '#vouchers',
  });
}
