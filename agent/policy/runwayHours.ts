/** Parameters of {@link runwayHours}. */
export type RunwayHoursParameters = {
  /** Token units available in open channels. */
  channelBalance: bigint;
  /** Token units spent per hour recently. */
  burnRatePerHour: bigint;
};

/** Hours, to 3 decimals; `Infinity` when nothing is being spent. */
export type RunwayHoursReturnType = number;

/**
 * How long the compute already paid for lasts at the recent burn rate.
 *
 * @param parameters Channel balance and burn rate.
 * @returns Hours of runway (`Infinity` with a zero burn rate).
 * @example
 * runwayHours({ channelBalance: 12_000_000n, burnRatePerHour: 500_000n }) // 24
 */
export function runwayHours(parameters: RunwayHoursParameters): RunwayHoursReturnType {
  const { channelBalance, burnRatePerHour } = parameters;
  if (burnRatePerHour <= 0n) return Number.POSITIVE_INFINITY;
  return Number((channelBalance * 1000n) / burnRatePerHour) / 1000;
}
