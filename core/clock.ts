/** Unix time in seconds (the chain's unit: block timestamps, policy windows, ledger `createdAt`). */
export type UnixSeconds = number & { readonly __unit: 'seconds' };
/** Unix time in milliseconds (`Date.now()`'s unit: HTTP-side ledgers, caps over 24 hours). */
export type UnixMs = number & { readonly __unit: 'milliseconds' };

/**
 * The wall clock in seconds.
 *
 * @returns Whole seconds since the epoch.
 * @example const since = nowSeconds() - 86_400;
 */
export function nowSeconds(): UnixSeconds {
  return Math.floor(Date.now() / 1000) as UnixSeconds;
}

/**
 * The wall clock in milliseconds.
 *
 * @returns Milliseconds since the epoch.
 * @example const since = nowMs() - 86_400_000;
 */
export function nowMs(): UnixMs {
  return Date.now() as UnixMs;
}
