import { nowMs } from '../../core/clock.js';

/** Parameters of {@link createRateLimiter}. */
export type CreateRateLimiterParameters = {
  /** Bucket size: requests allowed in a burst. */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
  /** Clock in unix milliseconds. */
  now?: () => number;
};

/** Return type of {@link createRateLimiter}. */
export type CreateRateLimiterReturnType = {
  /** Takes one token for `key`; returns 0 when allowed, else the seconds until one is available. */
  take: (key: string) => number;
};

/**
 * Token buckets per key, in memory (per member and per address for the chat API).
 *
 * @param parameters Capacity, refill rate, clock.
 * @returns `take(key)`.
 * @example
 * const limiter = createRateLimiter({ capacity: 5, refillPerSecond: 0.5 })
 * if (limiter.take(address) > 0) throw new RateLimitedError('slow down')
 */
export function createRateLimiter(parameters: CreateRateLimiterParameters): CreateRateLimiterReturnType {
  const { capacity, refillPerSecond } = parameters;
  const now = parameters.now ?? nowMs;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take: (key) => {
      const at = now();
      const bucket = buckets.get(key) ?? { tokens: capacity, at };
      bucket.tokens = Math.min(capacity, bucket.tokens + ((at - bucket.at) / 1000) * refillPerSecond);
      bucket.at = at;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - bucket.tokens) / refillPerSecond);
    },
  };
}
