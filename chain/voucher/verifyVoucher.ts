import { isAddressEqual, type Address } from 'viem';
import { loadSecp256k1Engine, type Secp256k1Engine } from './loadSecp256k1Engine.js';
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
  /** The secp256k1 engine (default: {@link loadSecp256k1Engine}, native when it loads). */
  engine?: Secp256k1Engine;
};

/** Return type of {@link verifyVoucher}. */
export type VerifyVoucherReturnType = boolean;

/** Signer (lowercase) → its uncompressed public key, once a voucher of it has been recovered to its address. */
const knownKeys = new Map<string, Uint8Array>();
// 65 bytes a key: a few hundred kB at most. Dropped oldest first; a dropped signer is hashed again.
const maxKnownKeys = 4_096;

/**
 * Whether a voucher was signed by `signer` for this market and chain, exactly as the market's
 * `ecrecover` would decide (v ∈ {27, 28}, low s): the public key is recovered (by libsecp256k1
 * when its binding loads). The first voucher of a signer is hashed to its address; later ones are
 * compared with its remembered public key, which saves that keccak.
 *
 * @param parameters The domain, the voucher, the expected signer and optionally the engine.
 * @returns True when the signature recovers to `signer`; false for any other signer or an invalid signature.
 * @example if (!verifyVoucher({ chainId, market, voucher, signer: channel.signer })) reject();
 */
export function verifyVoucher(parameters: VerifyVoucherParameters): VerifyVoucherReturnType {
  const { chainId, market, voucher, signer, engine = loadSecp256k1Engine() } = parameters;
  const key = signer.toLowerCase();
  const known = knownKeys.get(key);
  try {
    if (!known) {
      const recovered = recoverVoucherSigner({ chainId, market, voucher, engine });
      if (!isAddressEqual(recovered.address, signer)) return false;
      if (knownKeys.size >= maxKnownKeys) {
        const oldest = knownKeys.keys().next();
        if (!oldest.done) knownKeys.delete(oldest.value);
      }
      knownKeys.set(key, recovered.publicKey);
      return true;
    }
    const { v, compact } = splitVoucherSignature(voucher.signature);
    const digest = voucherDigest({ chainId, market, channelId: voucher.channelId, authorized: voucher.authorized });
    return Buffer.compare(engine.recoverPublicKey(compact, v === 27 ? 0 : 1, digest), known) === 0;
  } catch {
    return false;
  }
}
