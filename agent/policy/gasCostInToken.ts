/** Parameters of {@link gasCostInToken}. */
export type GasCostInTokenParameters = {
  /** Gas units. */
  gas: bigint;
  /** Wei per gas. */
  gasPriceWei: bigint;
  /** Payment token units per 1 ETH (1e18 wei). */
  ethPriceInToken: bigint;
};

/** Token units, rounded up (gas is never undervalued). */
export type GasCostInTokenReturnType = bigint;

/**
 * Values a transaction's gas in the payment token: `gas × gasPrice × price / 1e18`, rounded up.
 *
 * @param parameters Gas, gas price and the ETH price in token units.
 * @returns The cost in token units.
 * @example
 * gasCostInToken({ gas: 100_000n, gasPriceWei: 1_000_000_000n, ethPriceInToken: 3_000_000_000n }) // 300_000n (0.3 USDx)
 */
export function gasCostInToken(parameters: GasCostInTokenParameters): GasCostInTokenReturnType {
  const { gas, gasPriceWei, ethPriceInToken } = parameters;
  const numerator = gas * gasPriceWei * ethPriceInToken;
  const wei = 10n ** 18n;
  return (numerator + wei - 1n) / wei;
}
