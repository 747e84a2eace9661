/** Options every store factory takes. */
export type StoreOptions = {
  /** Current time in unix seconds; defaults to the wall clock. Tests pass a fixed clock. */
  now?: () => number;
};

/** The wall clock in unix seconds. */
export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}
