import { getAddress, type Address } from 'viem';
import type { Config } from '../config/types.js';
import type { GuardPolicy } from './GuardPolicy.js';

/** Parameters of {@link guardPolicyFromConfig}. */
export type GuardPolicyFromConfigParameters = {
  config: Config;
  /** Providers trusted on top of the config's (e.g. the provider `y2c up` started). */
  extraTrustedProviders?: readonly Address[];
};

/** Return type of {@link guardPolicyFromConfig}. */
export type GuardPolicyFromConfigReturnType = GuardPolicy;

/**
 * The guard's policy from the config: every treasury action allowed (proposals only reach a
 * community the agent has), the configured trusted providers, the daily compute budget as both the
 * per-call and the per-day deposit cap, the agent's proposals per week, and the x402 sellers it may fund
 * (`agent.x402.sellers` plus the extra trusted providers: the local provider sells over x402 too).
 *
 * @param parameters The config.
 * @returns The policy.
 * @example const guard = createGuardedExecutor({ ..., policy: guardPolicyFromConfig({ config }) })
 */
export function guardPolicyFromConfig(parameters: GuardPolicyFromConfigParameters): GuardPolicyFromConfigReturnType {
  const { config } = parameters;
  const trusted = [...config.agent.trustedProviders, ...(parameters.extraTrustedProviders ?? [])].map((address) => getAddress(address));
  return {
    allowedActions: ['harvest', 'open', 'top_up', 'request_close', 'finalize', 'refill_gas', 'publish_identity', 'rate_provider', 'propose', 'x402_deposit', 'accuse_over_redemption', 'slash_over_redemption', 'prove_double_signing'],
    trustedProviders: [...new Set(trusted)],
    maxDepositPerCall: config.agent.caps.dailyComputeBudget,
    maxDepositPerDay: config.agent.caps.dailyComputeBudget,
    maxRefillWei: config.agent.treasury.sessionGasTarget,
    proposalsPerPeriod: config.governance.proposalsPerWeek,
    trustedX402Sellers: [...new Set([...config.agent.x402.sellers, ...(parameters.extraTrustedProviders ?? [])].map((address) => getAddress(address)))],
    minProviderBond: config.agent.minProviderBond,
  };
}
