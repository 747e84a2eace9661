import type { SignedVoucher } from './voucherTypes.js';

/** Parameters of {@link formatVoucherHeader}. */
export type FormatVoucherHeaderParameters = SignedVoucher;

/** Return type of {@link formatVoucherHeader}. */
export type FormatVoucherHeaderReturnType = string;

/**
 * Formats a signed voucher as the `x-y2c-voucher` header value `channelId:authorized:signature`
 * (decimal integers, lowercase hex signature).
 *
 * @param voucher The signed voucher.
 * @returns The header value.
 * @example formatVoucherHeader({ channelId: 1n, authorized: 250n, signature }) // '1:250:0xabc…'
 */
export function formatVoucherHeader(voucher: FormatVoucherHeaderParameters): FormatVoucherHeaderReturnType {
  return `${voucher.channelId.toString(10)}:${voucher.authorized.toString(10)}:${voucher.signature.toLowerCase()}`;
}
