import { secp256k1 } from '@noble/curves/secp256k1';
import { invert, mod } from '@noble/curves/abstract/modular';
import { isAddressEqual, type Address } from 'viem';
import { recoverVoucherSigner } from './recoverVoucherSigner.js';
import { splitVoucherSignature } from './splitVoucherSignature.js';
import { voucherDigest } from './voucherDigest.js';
import type { SignedVoucher } from './voucherTypes.js';

/** Parameters of {@link verifyVoucher}. */
export type VerifyVoucherParameters = {
  /** Chain id of the market. */
  chainId: number;
  /** The ComputeMarket contract. */
  market: Address;
  /** The voucher and its signature. */
  voucher: SignedVoucher;
  /** The channel's signer. */
  signer: Address;
};

/** Return type of {@link verifyVoucher}. */
export type VerifyVoucherReturnType = boolean;

type Point = InstanceType<typeof secp256k1.ProjectivePoint>;
const { n } = secp256k1.CURVE;
const G = secp256k1.ProjectivePoint.BASE;
const knownKeys = new Map<string, Point>();
const maxKnownKeys = 1_000;

/**
 * Whether a voucher was signed by `signer` for this market and chain, exactly as the market's
 * `ecrecover` would decide (v ∈ {27, 28}, low s). The first voucher of a signer is recovered;
 * its public key is then kept with a precomputed multiplication table, so later vouchers are
 * checked by computing R = u1·G + u2·P with two table-driven multiplications and comparing R.x
 * with r and R.y's parity with v (several times faster than recovery).
 *
 * @param parameters The domain, the voucher and the expected signer.
 * @returns True when the signature recovers to `signer`; false for any other signer or an invalid signature.
 * @example if (!verifyVoucher({ chainId, market, voucher, signer: channel.signer })) reject();
 */
export function verifyVoucher(parameters: VerifyVoucherParameters): VerifyVoucherReturnType {
  const { chainId, market, voucher, signer } = parameters;
  const key = signer.toLowerCase();
  const known = knownKeys.get(key);
  try {
    if (!known) {
      const recovered = recoverVoucherSigner({ chainId, market, voucher });
      if (!isAddressEqual(recovered.address, signer)) return false;
      const point = secp256k1.ProjectivePoint.fromAffine(recovered.publicKey.toAffine());
      point._setWindowSize(8);
      if (knownKeys.size >= maxKnownKeys) knownKeys.clear();
      knownKeys.set(key, point);
      return true;
    }
    const { r, s, v } = splitVoucherSignature(voucher.signature);
    const digest = voucherDigest({ chainId, market, channelId: voucher.channelId, authorized: voucher.authorized });
    const h = mod(BigInt(`0x${Buffer.from(digest).toString('hex')}`), n);
    const sInverse = invert(s, n);
    const u1 = mod(h * sInverse, n);
    const u2 = mod(r * sInverse, n);
    // Not multiplyUnsafe: with precomputed tables @noble/curves 1.9.1 returns wrong points for scalars near n.
    // u1 = 0 would need a digest ≡ 0 (mod n), i.e. a keccak preimage; `multiply` rejects 0, so bail out.
    if (u1 === 0n) return false;
    const R = G.multiply(u1).add(known.multiply(u2));
    if (R.equals(secp256k1.ProjectivePoint.ZERO)) return false;
    const { x, y } = R.toAffine();
    // ecrecover with v ∈ {27, 28} only reconstructs R from x = r (never r + n), with y's parity from v.
    return x === r && Number(y & 1n) === v - 27;
  } catch {
    return false;
  }
}
