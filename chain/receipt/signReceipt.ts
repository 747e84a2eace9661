import { bytesToHex, hexToBytes, type Account, type Address, type Hex } from 'viem';
import { loadSecp256k1Engine, type Secp256k1Engine } from '../voucher/loadSecp256k1Engine.js';
import { receiptDigest } from './receiptDigest.js';
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
  /**
   * The account's private key: with it the digest is hashed by hand and signed by the native
   * libsecp256k1 engine (the same RFC 6979 signature, several times faster than the account's typed-data path).
   */
  privateKey?: Hex;
  /** The engine for `privateKey` (default: native when it loads). */
  engine?: Secp256k1Engine;
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
  if (parameters.privateKey) {
    const engine = parameters.engine ?? loadSecp256k1Engine();
    const { signature, recoveryId } = engine.sign(receiptDigest(chainId, market, receipt), hexToBytes(parameters.privateKey));
    return { ...receipt, signature: `${bytesToHex(signature)}${recoveryId === 0 ? '1b' : '1c'}` };
  }
  if (!account.signTypedData) throw new ReceiptSignerError('The provider key must be a local account to sign receipts.', { details: `account ${account.address}` });
  const signature = await account.signTypedData({ domain: voucherDomain({ chainId, market }), types: receiptTypes, primaryType: receiptPrimaryType, message: receipt });
  return { ...receipt, signature };
}
