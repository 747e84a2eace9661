import { getAddress, type Address } from 'viem';
import type { GuardPolicy } from '../../guard/GuardPolicy.js';
import type { CharterView } from './createCharterView.js';

/** Parameters of {@link guardPolicyFromCharter}. */
export type GuardPolicyFromCharterParameters = {
  /** The policy from config (`guardPolicyFromConfig`): actions, gas refill, and, in owner mode, providers and caps. */
  base: GuardPolicy;
  /** The charter in force, kept fresh by its update events. */
  charter: CharterView;
};

/** Return type of {@link guardPolicyFromCharter}. */
export type GuardPolicyFromCharterReturnType = GuardPolicy;

/**
 * The guard's policy as the charter sets it: once the agent has an on-chain charter, its trusted
 * providers are exactly the charter's (config and `y2c up` extras only seed version 1), its
 * daily cap bounds every deposit and its proposal rate bounds the agent's proposals; the x402 sellers
 * it may fund are the same trusted list (one list of whom the agent pays, by voucher or over x402); in
 * owner mode (no charter) the config's policy stands. The fields
 * are getters over the charter view's cached snapshot, so a charter change executed by the timelock
 * governs the very next check without a restart, and nothing is read from the chain on the way.
 *
 * @param parameters The config policy and the charter view.
 * @returns The live policy to hand to `createGuardedExecutor`.
 * @example
 * const guard = createGuardedExecutor({ ..., policy: guardPolicyFromCharter({ base: guardPolicyFromConfig({ config }), charter }) });
 */
export function guardPolicyFromCharter(parameters: GuardPolicyFromCharterParameters): GuardPolicyFromCharterReturnType {
  const { base, charter } = parameters;
  let cached: { version: number; trusted: readonly Address[] } | undefined;
  const trusted = (): readonly Address[] => {
    const current = charter.current();
    if (current.source !== 'chain') return base.trustedProviders;
    if (cached?.version !== current.version) cached = { version: current.version, trusted: [...new Set(current.trustedProviders.map((address) => getAddress(address)))] };
    return cached.trusted;
  };
  const chainCap = (fallback: bigint) => (charter.current().source === 'chain' ? charter.current().dailyCap : fallback);
  return {
    allowedActions: base.allowedActions,
    maxRefillWei: base.maxRefillWei,
    // Not in the charter (yet): the config's bond floor stands.
    ...(base.minProviderBond !== undefined ? { minProviderBond: base.minProviderBond } : {}),
    get trustedProviders() {
      return trusted();
    },
    get maxDepositPerCall() {
      return chainCap(base.maxDepositPerCall);
    },
    get maxDepositPerDay() {
      return chainCap(base.maxDepositPerDay);
    },
    get trustedX402Sellers() {
      return charter.current().source === 'chain' ? trusted() : (base.trustedX402Sellers ?? []);
    },
    ...(base.maxX402WithdrawDelay !== undefined ? { maxX402WithdrawDelay: base.maxX402WithdrawDelay } : {}),
    get proposalsPerPeriod() {
      return charter.current().source === 'chain' ? charter.current().proposalsPerPeriod : (base.proposalsPerPeriod ?? 0);
    },
  };
}
