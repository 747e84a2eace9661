/**
 * Gas to send with a transaction whose path depends on time: an estimate made at one timestamp can
 * fall short at the next (the vault and sUSDx mint accrued interest only when a second has passed,
 * about 18k gas more), and an out-of-gas revert would waste the fee and the action. Unused gas is not
 * charged, so the headroom costs nothing.
 *
 * @param estimate The node's (or bundler's) estimate.
 * @returns estimate × 1.25 + 25,000.
 */
export function gasWithHeadroom(estimate: bigint): bigint {
  return (estimate * 5n) / 4n + 25_000n;
}
