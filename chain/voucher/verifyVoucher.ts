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
/** rows[j][d] = d · 256^j · P: a scalar multiplication is then at most 32 additions, no doublings. */
type Table = Point[][];
const { n } = secp256k1.CURVE;
const ZERO = secp256k1.ProjectivePoint.ZERO;
let baseTable: Table | undefined;
const knownKeys = new Map<string, Table>();
// About 1.5 MB per table: the hottest signers keep theirs, the rest are rebuilt (~30 ms) when they return.
const maxKnownKeys = 32;

function buildTable(point: Point): Table {
  const rows: Table = [];
  let base = point;
  for (let j = 0; j < 32; j++) {
    const row: Point[] = [ZERO];
    let accumulated = ZERO;
    for (let d = 1; d < 256; d++) {
      accumulated = accumulated.add(base);
      row.push(accumulated);
    }
    rows.push(row);
    base = accumulated.add(base);
  }
  return rows;
}

// Variable time, which is fine: every input here (digest, signature, public key) is public.
function multiply(table: Table, scalar: bigint): Point {
  let sum = ZERO;
  let rest = scalar;
  for (let j = 0; rest > 0n; j++, rest >>= 8n) {
    const digit = Number(rest & 0xffn);
    if (digit) sum = sum.add(table[j]![digit]!);
  }
  return sum;
}

/**
 * Whether a voucher was signed by `signer` for this market and chain, exactly as the market's
 * `ecrecover` would decide (v ∈ {27, 28}, low s). The first voucher of a signer is recovered;
 * its public key P is then kept with a table of byte multiples (as is G's), so later vouchers are
 * checked by computing R = u1·G + u2·P with at most 64 point additions and no doublings, and
 * comparing R.x with r and R.y's parity with v (several times faster than recovery).
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
      if (knownKeys.size >= maxKnownKeys) {
        const oldest = knownKeys.keys().next();
        if (!oldest.done) knownKeys.delete(oldest.value);
      }
      knownKeys.set(key, buildTable(recovered.publicKey));
      return true;
    }
    const { r, s, v } = splitVoucherSignature(voucher.signature);
    const digest = voucherDigest({ chainId, market, channelId: voucher.channelId, authorized: voucher.authorized });
    const h = mod(BigInt(`0x${Buffer.from(digest).toString('hex')}`), n);
    const sInverse = invert(s, n);
    const u1 = mod(h * sInverse, n);
    const u2 = mod(r * sInverse, n);
    // Not multiplyUnsafe: with precomputed tables @noble/curves 1.9.1 returns wrong points for scalars near n.
    knownKeys.delete(key);
    knownKeys.set(key, known);
    baseTable ??= buildTable(secp256k1.ProjectivePoint.BASE);
    const R = multiply(baseTable, u1).add(multiply(known, u2));
    if (R.equals(secp256k1.ProjectivePoint.ZERO)) return false;
    const { x, y } = R.toAffine();
    // ecrecover with v ∈ {27, 28} only reconstructs R from x = r (never r + n), with y's parity from v.
    return x === r && Number(y & 1n) === v - 27;
  } catch {
    return false;
  }
}
