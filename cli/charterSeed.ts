import type { CharterSeed } from '../chain/deploy/deployWorld.js';
import { devAccount, devRoles } from '../devnet/devAccounts.js';
import type { Config } from '../config/types.js';

/**
 * Charter version 1 from config: the constitution, the caps, the runway target, the trusted
 * providers (on local, with the provider `y2c up` starts: the daemon trusts the charter's list only)
 * and the agent's proposal rate. Later versions are voted on chain. The configured x402 sellers join
 * the trusted list: whom the agent may pay, by voucher or over x402, is one list its community governs.
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
    trustedProviders: [
      ...new Set([...config.agent.trustedProviders, ...(config.network === 'local' ? [devAccount(devRoles.provider).account.address] : []), ...config.agent.x402.sellers]),
    ],
    proposalsPerPeriod: config.governance.proposalsPerWeek,
    proposalPeriod: 7 * 86_400,
  };
}
