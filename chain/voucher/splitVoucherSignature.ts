import { secp256k1 } from '@noble/curves/secp256k1';
import type { Hex } from 'viem';
import { AgentError } from '../../core/AgentError.js';

/** The signature cannot belong to any key, or is in a form the market rejects (high s, bad v). */
export class VoucherSignatureError extends AgentError {
  override name = 'VoucherSignatureError' as const;
}

/** Return type of {@link splitVoucherSignature}. */
export type SplitVoucherSignatureReturnType = {
  r: bigint;
  s: bigint;
  v: 27 | 28;
  /** `r || s` as 64 bytes (what secp256k1 recovery takes, with `v - 27`). */
  compact: Uint8Array;
};

const halfOrder = secp256k1.CURVE.n >> 1n;

/**
 * Splits a 65-byte `r || s || v` signature, enforcing the market's rules (v ∈ {27, 28}, 0 < r < n, 0 < s ≤ n/2).
 *
 * @param signature The signature.
 * @returns Its parts.
 * @throws {VoucherSignatureError} When a rule is broken.
 */
export function splitVoucherSignature(signature: Hex): SplitVoucherSignatureReturnType {
  if (signature.length !== 132) throw invalid('the signature is not 65 bytes');
  const r = BigInt(`0x${signature.slice(2, 66)}`);
  const s = BigInt(`0x${signature.slice(66, 130)}`);
  const v = Number.parseInt(signature.slice(130, 132), 16);
  if (v !== 27 && v !== 28) throw invalid(`v must be 27 or 28, got ${v}`);
  if (r === 0n || r >= secp256k1.CURVE.n || s === 0n) throw invalid('r or s is out of range');
  if (s > halfOrder) throw invalid('s is in the upper half of the curve order (malleable signature)');
  return { r, s, v, compact: Buffer.from(signature.slice(2, 130), 'hex') };
}

function invalid(why: string, cause?: unknown): VoucherSignatureError {
  return new VoucherSignatureError(`The voucher signature is invalid: ${why}.`, { cause, docsPath: '#vouchers' });
}
