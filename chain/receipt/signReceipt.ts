import type { Account, Address } from 'viem';
import { AgentError } from '../../core/AgentError.js';
import { voucherDomain } from '../voucher/voucherDomain.js';
import { receiptPrimaryType, receiptTypes, type Receipt, type SignedReceipt } from './receiptTypes.js';

/** Parameters of {@link signReceipt}. */
export type SignReceiptParameters = {
  /** The provider's key (a local account). */
  account: Account;
  /** Chain id of the market. */
  chainId: number;
  /** The ComputeMarket contract. */
  market: Address;
  /** What is attested. */
  receipt: Receipt;
};

/** The provider's account cannot sign typed data locally. */
export class ReceiptSignerError extends AgentError {
  override name = 'ReceiptSignerError' as const;
}

/**
 * Signs a receipt (EIP-712, the market's voucher domain) with the provider's key.
 *
 * @param parameters The key, the domain and the receipt.
 * @returns The receipt with its signature.
 * @example const signed = await signReceipt({ account, chainId: 31337, market, receipt });
 */
export async function signReceipt(parameters: SignReceiptParameters): Promise<SignedReceipt> {
  const { account, chainId, market, receipt } = parameters;
  if (!account.signTypedData) throw new ReceiptSignerError('The provider key must be a local account to sign receipts.', { details: `account ${account.address}` });
  const signature = await account.signTypedData({ domain: voucherDomain({ chainId, market }), types: receiptTypes, primaryType: receiptPrimaryType, message: receipt });
  return { ...receipt, signature };
}
