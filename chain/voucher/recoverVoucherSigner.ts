import { secp256k1 } from '@noble/curves/secp256k1';
import { keccak_256 } from '@noble/hashes/sha3';
import { getAddress, type Address } from 'viem';
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
};

/** Return type of {@link recoverVoucherSigner}: the signer's address and public key. */
export type RecoverVoucherSignerReturnType = {
  /** Checksummed address that signed. */
  address: Address;
  /** The signer's public key (for verifying its later vouchers without recovery). */
  publicKey: InstanceType<typeof secp256k1.ProjectivePoint>;
  /** The digest that was signed. */
  digest: Uint8Array;
};

/**
 * Recovers who signed a voucher: the EIP-712 digest by hand and @noble/curves recovery directly
 * (what viem's `recoverTypedDataAddress` does underneath, minus its generic typed-data encoding).
 * Like the market (OpenZeppelin ECDSA) it accepts only v ∈ {27, 28} and low s.
 *
 * @param parameters The domain and the signed voucher.
 * @returns The signer's address and public key.
 * @throws {VoucherSignatureError} When the signature is not a valid 65-byte secp256k1 signature.
 * @example const { address } = recoverVoucherSigner({ chainId: 31337, market, voucher });
 */
export function recoverVoucherSigner(parameters: RecoverVoucherSignerParameters): RecoverVoucherSignerReturnType {
  const { chainId, market, voucher } = parameters;
  const { r, s, v } = splitVoucherSignature(voucher.signature);
  const digest = voucherDigest({ chainId, market, channelId: voucher.channelId, authorized: voucher.authorized });
  let publicKey: RecoverVoucherSignerReturnType['publicKey'];
  try {
    publicKey = new secp256k1.Signature(r, s).addRecoveryBit(v - 27).recoverPublicKey(digest);
  } catch (cause) {
    throw invalid('no public key recovers from it', cause);
  }
  const addressBytes = keccak_256(publicKey.toRawBytes(false).subarray(1)).subarray(12);
  return { address: getAddress(`0x${Buffer.from(addressBytes).toString('hex')}`), publicKey, digest };
}

function invalid(why: string, cause?: unknown): VoucherSignatureError {
  return new VoucherSignatureError(`The voucher signature is invalid: ${why}.`, { cause, docsPath: '#vouchers' });
}
