import type { Config } from '../../config/types.js';
import type { TreasuryParams } from './types.js';

/** Parameters of {@link treasuryParamsFromConfig}: the loaded config, plus what the config does not hold. */
export type TreasuryParamsFromConfigParameters = {
  config: Config;
  /** Wei the TBA keeps when refilling the session key (default 0). */
  tbaEthReserve?: bigint;
  /** Calls needed before a provider's health is judged (default 5). */
  minSamples?: number;
  /** Request shape used to compare prices (default 2000 tokens in, 500 out). */
  typicalRequest?: { tokensIn: bigint; tokensOut: bigint };
};

/** The treasury policy's tuning. */
export type TreasuryParamsFromConfigReturnType = TreasuryParams;

/**
 * Maps the config's `agent.treasury` section (and transport, token) to the policy's parameters,
 * so the daemon builds them in one place.
 *
 * @param parameters The config and optional extras.
 * @returns Parameters for `decideTreasury`.
 * @example
 * const decisions = decideTreasury(snapshot, treasuryParamsFromConfig({ config }))
 */
export function treasuryParamsFromConfig(parameters: TreasuryParamsFromConfigParameters): TreasuryParamsFromConfigReturnType {
  const { config } = parameters;
  const treasury = config.agent.treasury;
  return {
    transport: config.chain.transport,
    token: config.chain.token,
    harvestGasMultiple: BigInt(treasury.harvestGasMultiple),
    criticalRunwayHours: treasury.criticalRunwayHours,
    reserve: treasury.reserve,
    minDeposit: treasury.minDeposit,
    idleCloseHours: treasury.idleCloseHours,
    sessionGasFloor: treasury.sessionGasFloor,
    sessionGasTarget: treasury.sessionGasTarget,
    tbaEthReserve: parameters.tbaEthReserve ?? 0n,
    minSuccessRate: treasury.minProviderSuccessRate,
    maxP50LatencyMs: treasury.maxProviderLatencyMs,
    minSamples: parameters.minSamples ?? 5,
    typicalRequest: parameters.typicalRequest ?? { tokensIn: 2000n, tokensOut: 500n },
    minProviderBond: config.agent.minProviderBond,
  };
}
