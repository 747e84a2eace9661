import { generateSiweNonce } from 'viem/siwe';
import { nowMs } from '../../core/clock.js';

/** Parameters of {@link createNonceStore}. */
export type CreateNonceStoreParameters = {
  /** How long an issued nonce stays usable, in seconds (default 300). */
  ttlSeconds?: number;
  /** At most this many outstanding nonces; the oldest are dropped first (default 10,000). */
  maxOutstanding?: number;
  /** Clock in unix milliseconds. */
  now?: () => number;
};

/** Return type of {@link createNonceStore}. */
export type CreateNonceStoreReturnType = {
  /** Issues a fresh random nonce (96 bits, alphanumeric). */
  issue: () => { nonce: string; expiresAt: number };
  /** True when the nonce was issued here, is unexpired and not yet consumed (does not consume it). */
  isLive: (nonce: string) => boolean;
  /** Consumes the nonce; true only for the first caller while it is live. */
  consume: (nonce: string) => boolean;
};

/**
 * Single-use Sign-In with Ethereum nonces, in memory: issued by the server, live for a few minutes,
 * consumed only by a successful sign-in (a failed attempt leaves it usable until it expires).
 *
 * @param parameters Lifetime, bound and clock.
 * @returns `issue`, `isLive` and `consume`.
 * @example
 * const nonces = createNonceStore()
 * const { nonce } = nonces.issue()
 * nonces.consume(nonce) // true, then false
 */
export function createNonceStore(parameters: CreateNonceStoreParameters = {}): CreateNonceStoreReturnType {
  const ttlMs = (parameters.ttlSeconds ?? 300) * 1000;
  const maxOutstanding = parameters.maxOutstanding ?? 10_000;
  const now = parameters.now ?? nowMs;
  const live = new Map<string, number>();
  const isLive = (nonce: string) => {
    const expiresAt = live.get(nonce);
    if (expiresAt === undefined) return false;
    if (expiresAt <= now()) {
      live.delete(nonce);
      return false;
    }
    return true;
  };
  return {
    issue: () => {
      // Map iteration order is insertion order: the first keys are the oldest.
      for (const key of live.keys()) {
        if (live.size < maxOutstanding) break;
        live.delete(key);
      }
      const nonce = generateSiweNonce();
      const expiresAt = now() + ttlMs;
      live.set(nonce, expiresAt);
      return { nonce, expiresAt };
    },
    isLive,
    consume: (nonce) => isLive(nonce) && live.delete(nonce),
  };
}
