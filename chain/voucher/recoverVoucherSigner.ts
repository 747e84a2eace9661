import { keccak_256 } from '@noble/hashes/sha3';
import { getAddress, type Address } from 'viem';
import { loadSecp256k1Engine, type Secp256k1Engine } from './loadSecp256k1Engine.js';
import { splitVoucherSignature, VoucherSignatureError } from './splitVoucherSignature.js';
import { voucherDigest } from './voucherDigest.js';
import type { SignedVoucher } from './voucherTypes.js';

/** Parameters of {@link recoverVoucherSigner}. */
export type RecoverVoucherSignerParameters = {
  /** Chain id of the market. */
  chainId: number;
  /** The ComputeMarket contract. */
  market: Address;
  /** The voucher and its signature. */
  voucher: SignedVoucher;
  /** The secp256k1 engine (default: {@link loadSecp256k1Engine}, native when it loads). */
  engine?: Secp256k1Engine;
};

/** Return type of {@link recoverVoucherSigner}: the signer's address and public key. */
export type RecoverVoucherSignerReturnType = {
  /** Checksummed address that signed. */
  address: Address;
  /** The signer's uncompressed public key (65 bytes, `04 || x || y`). */
  publicKey: Uint8Array;
  /** The digest that was signed. */
  digest: Uint8Array;
};

/**
 * Recovers who signed a voucher: the EIP-712 digest by hand, then secp256k1 recovery (what viem's
 * `recoverTypedDataAddress` does underneath, minus its generic typed-data encoding). Like the
 * market (OpenZeppelin ECDSA) it accepts only v ∈ {27, 28} and low s, whichever engine recovers.
 *
 * @param parameters The domain, the signed voucher and optionally the engine.
 * @returns The signer's address and public key.
 * @throws {VoucherSignatureError} When the signature is not a valid 65-byte secp256k1 signature.
 * @example const { address } = recoverVoucherSigner({ chainId: 31337, market, voucher });
 */
export function recoverVoucherSigner(parameters: RecoverVoucherSignerParameters): RecoverVoucherSignerReturnType {
  const { chainId, market, voucher, engine = loadSecp256k1Engine() } = parameters;
  const { v, compact } = splitVoucherSignature(voucher.signature);
  const digest = voucherDigest({ chainId, market, channelId: voucher.channelId, authorized: voucher.authorized });
  let publicKey: Uint8Array;
  try {
    publicKey = engine.recoverPublicKey(compact, v === 27 ? 0 : 1, digest);
  } catch (cause) {
    throw invalid('no public key recovers from it', cause);
  }
  const address = getAddress(`0x${Buffer.from(keccak_256(publicKey.subarray(1)).subarray(12)).toString('hex')}`);
  return { address, publicKey, digest };
}

function invalid(why: string, cause?: unknown): VoucherSignatureError {
  return new VoucherSignatureError(`The voucher signature is invalid: ${why}.`, { cause, docsPath: '#vouchers' });
}
