import type { Address } from 'viem';
import { loadSecp256k1Engine, type Secp256k1EngineName } from './loadSecp256k1Engine.js';
import { parseVoucherHeader } from './parseVoucherHeader.js';
import { VoucherSignatureError } from './splitVoucherSignature.js';
import { verifyVoucher } from './verifyVoucher.js';
import type { SignedVoucher } from './voucherTypes.js';

/** Parameters of {@link createVoucherVerifier}. */
export type CreateVoucherVerifierParameters = {
  /** Chain id of the market. */
  chainId: number;
  /** The ComputeMarket contract. */
  market: Address;
  /** Headers remembered (least recently used are dropped); default 10,000. */
  cacheSize?: number;
  /** The secp256k1 engine to insist on (default: libsecp256k1 when its binding loads, else @noble/curves). */
  engine?: Secp256k1EngineName;
};

/** Return type of {@link createVoucherVerifier}. */
export type CreateVoucherVerifierReturnType = {
  /** The secp256k1 engine that checks signatures. */
  engine: Secp256k1EngineName;
  /** Why the native engine is not used, when the pure-JS fallback was chosen by default. */
  fallbackReason: string | undefined;
  /**
   * Parses a header strictly (cached by the header string).
   * @throws {VoucherMalformedError}
   */
  parse: (header: string) => SignedVoucher;
  /**
   * Parses a header and checks that `signer` signed it (cached by the header string and signer).
   * @throws {VoucherMalformedError} or {VoucherSignatureError}.
   */
  verify: (header: string, signer: Address) => SignedVoucher;
};

type Entry = { voucher: SignedVoucher; valid: Map<string, boolean> };

/**
 * A voucher verifier for one market, with an LRU cache keyed by the header string, so a header
 * seen before (a retry, a replay being rejected) costs a map lookup instead of curve arithmetic.
 *
 * @param parameters The domain, the cache size and optionally the engine.
 * @returns `{ engine, fallbackReason, parse, verify }`.
 * @throws {Secp256k1EngineUnavailableError} When `engine: 'libsecp256k1'` is asked for and cannot load.
 * @example
 * const verifier = createVoucherVerifier({ chainId, market });
 * const voucher = verifier.verify(header, channel.signer);
 */
export function createVoucherVerifier(parameters: CreateVoucherVerifierParameters): CreateVoucherVerifierReturnType {
  const { chainId, market, cacheSize = 10_000 } = parameters;
  const engine = loadSecp256k1Engine(parameters.engine);
  const cache = new Map<string, Entry>();
  const entry = (header: string): Entry => {
    const hit = cache.get(header);
    if (hit) {
      cache.delete(header);
      cache.set(header, hit);
      return hit;
    }
    const fresh: Entry = { voucher: parseVoucherHeader(header), valid: new Map() };
    cache.set(header, fresh);
    if (cache.size > cacheSize) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    return fresh;
  };
  return {
    engine: engine.name,
    fallbackReason: engine.fallbackReason,
    parse: (header) => entry(header).voucher,
    verify(header, signer) {
      const { voucher, valid } = entry(header);
      const key = signer.toLowerCase();
      let ok = valid.get(key);
      if (ok === undefined) {
        ok = verifyVoucher({ chainId, market, voucher, signer, engine });
        valid.set(key, ok);
      }
      if (!ok) {
        throw new VoucherSignatureError("The voucher is not signed by the channel's signer.", {
          details: `channel ${voucher.channelId}, expected signer ${signer}`,
          docsPath: '#vouchers',
        });
      }
      return voucher;
    },
  };
}
