import { keccak_256 } from '@noble/hashes/sha3';
import { getAddress, type Address } from 'viem';
import { loadSecp256k1Engine, type Secp256k1Engine } from '../voucher/loadSecp256k1Engine.js';
import { splitVoucherSignature } from '../voucher/splitVoucherSignature.js';
import { receiptDigest } from './receiptDigest.js';
import type { SignedReceipt } from './receiptTypes.js';

/** Parameters of {@link recoverReceiptSigner}. */
export type RecoverReceiptSignerParameters = {
  chainId: number;
  market: Address;
  receipt: SignedReceipt;
  /** The secp256k1 engine (default: native libsecp256k1 when it loads, else @noble/curves). */
  engine?: Secp256k1Engine;
};

/**
 * The address that signed a receipt (EIP-712, the market's voucher domain): the digest by hand
 * ({@link receiptDigest}), then secp256k1 recovery by the native engine when it loads. Like the market's
 * `_requireReceipt` (OpenZeppelin ECDSA) it accepts only v ∈ {27, 28} and low s.
 *
 * @param parameters The domain, the signed receipt and optionally the engine.
 * @returns The signer's address (compare it with the provider's).
 * @throws {VoucherSignatureError} When the signature is malformed or nothing recovers from it.
 * @example isAddressEqual(await recoverReceiptSigner({ chainId, market, receipt }), provider)
 */
export async function recoverReceiptSigner(parameters: RecoverReceiptSignerParameters): Promise<Address> {
  const { signature, ...receipt } = parameters.receipt;
  const engine = parameters.engine ?? loadSecp256k1Engine();
  const { v, compact } = splitVoucherSignature(signature);
  const publicKey = engine.recoverPublicKey(compact, v === 27 ? 0 : 1, receiptDigest(parameters.chainId, parameters.market, receipt));
  return getAddress(`0x${Buffer.from(keccak_256(publicKey.subarray(1)).subarray(12)).toString('hex')}`);
}
