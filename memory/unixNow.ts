/** The wall clock in unix seconds, the default clock of every store. */
export type UnixNowReturnType = number;

/**
 * The current time in whole unix seconds (the unit the chain uses).
 *
 * @returns Seconds since the epoch.
 * @example
 * createLedgerStore(db, { now: unixNow })
 */
export function unixNow(): UnixNowReturnType {
  return Math.floor(Date.now() / 1000);
}
