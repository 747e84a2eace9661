import type { CharterSeed } from '../chain/deploy/deployWorld.js';
import type { Config } from '../config/types.js';

/**
 * Charter version 1 from config: the constitution, the caps, the runway target, the trusted
 * providers and the agent's proposal rate. Later versions are voted on chain.
 *
 * @param config Loaded config.
 * @returns The seed `deployWorld` writes into the Charter.
 */
export function charterSeed(config: Config): CharterSeed {
  return {
    constitution: config.agent.constitution,
    perCallCap: config.agent.caps.perRequestCap,
    dailyCap: config.agent.caps.dailyComputeBudget,
    runwayTargetHours: Math.max(1, Math.ceil(config.agent.runwayTargetHours)),
    trustedProviders: config.agent.trustedProviders,
    proposalsPerPeriod: config.governance.proposalsPerWeek,
    proposalPeriod: 7 * 86_400,
  };
}
