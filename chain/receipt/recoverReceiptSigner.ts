import { recoverTypedDataAddress, type Address } from 'viem';
import { voucherDomain } from '../voucher/voucherDomain.js';
import { receiptPrimaryType, receiptTypes, type SignedReceipt } from './receiptTypes.js';

/** Parameters of {@link recoverReceiptSigner}. */
export type RecoverReceiptSignerParameters = { chainId: number; market: Address; receipt: SignedReceipt };

/**
 * The address that signed a receipt (EIP-712, the market's voucher domain).
 *
 * @param parameters The domain and the signed receipt.
 * @returns The signer's address (compare it with the provider's).
 * @example isAddressEqual(await recoverReceiptSigner({ chainId, market, receipt }), provider)
 */
export async function recoverReceiptSigner(parameters: RecoverReceiptSignerParameters): Promise<Address> {
  const { signature, ...message } = parameters.receipt;
  return recoverTypedDataAddress({ domain: voucherDomain(parameters), types: receiptTypes, primaryType: receiptPrimaryType, message, signature });
}
