/** Options every store factory takes. */
export type StoreOptions = {
  /** Current time in unix seconds; defaults to the wall clock. Tests pass a fixed clock. */
  now?: () => number;
};
