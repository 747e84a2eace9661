import { isAddressEqual, type PublicClient } from 'viem';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import type { AgentDeployment } from '../../guard/AgentDeployment.js';
import type { GuardPolicy } from '../../guard/GuardPolicy.js';
import type { Logger } from '../../core/Logger.js';
import type { BrainProvider } from './BrainProvider.js';
import { listBrainProviders } from './listBrainProviders.js';

/** Parameters of {@link createProviderDirectory}. */
export type CreateProviderDirectoryParameters = {
  publicClient: PublicClient;
  deployment: AgentDeployment;
  memory: Pick<OpenAgentMemoryReturnType, 'channels'>;
  /** Trust; the list is re-read when the trusted set changes (a charter update). */
  policy: Pick<GuardPolicy, 'trustedProviders'>;
  /** Preferred model id. */
  model: string;
  log: Logger;
};

/** The brain's providers, cached and kept fresh by the market's events. */
export type ProviderDirectory = {
  /** The providers, best first: cached (chain and `/y2c/info` read only after an event), ordered by the channels now. */
  list: () => Promise<BrainProvider[]>;
  /** Drops the cache: the next `list` reads the chain and the providers again. */
  invalidate: () => void;
  /** Stops watching the market. */
  stop: () => void;
};

/**
 * The providers the brain thinks with, as a cached view: {@link listBrainProviders} runs once, and
 * again only after a `ProviderRegistered`/`ProviderUpdated`/`ProviderDeregistered` event of the
 * market, a change of the trusted set, or an `invalidate` (a provider failed). A chat turn reads the
 * cache and orders it by the open channels' deposits in memory (one SQLite read), nothing on chain.
 *
 * @param parameters Chain, memory, trust, model and log.
 * @returns The directory.
 * @example const providers = createProviderDirectory({ publicClient, deployment, memory, policy: guard.policy, model, log }); await providers.list()
 */
export function createProviderDirectory(parameters: CreateProviderDirectoryParameters): ProviderDirectory {
  const { publicClient, deployment, memory, policy, log } = parameters;
  let cached: { key: string; found: Promise<BrainProvider[]> } | undefined;
  const trustKey = () => policy.trustedProviders.map((address) => address.toLowerCase()).join(',');
  const read = (key: string) => {
    const found = listBrainProviders({ publicClient, deployment, memory, policy, model: parameters.model });
    const entry = { key, found };
    cached = entry;
    // A failed read is not kept: the next turn tries again.
    found.catch(() => {
      if (cached === entry) cached = undefined;
    });
    return found;
  };
  const unwatch = publicClient.watchContractEvent({
    address: deployment.computeMarket,
    abi: computeMarketAbi,
    onLogs: (logs) => {
      if (logs.some((entry) => entry.eventName === 'ProviderRegistered' || entry.eventName === 'ProviderUpdated' || entry.eventName === 'ProviderDeregistered')) cached = undefined;
    },
    onError: (error) => log.warn('provider directory watch error', { error: error.message.split('\n')[0] }),
  });
  return {
    list: async () => {
      const key = trustKey();
      const found = await (cached?.key === key ? cached.found : read(key));
      const open = memory.channels.listOpen().filter((channel) => channel.status === 'open');
      const deposit = (provider: BrainProvider) => open.filter((channel) => isAddressEqual(channel.provider, provider.address)).reduce((sum, channel) => sum + channel.deposit, 0n);
      return [...found].sort((a, b) => {
        const difference = deposit(b) - deposit(a);
        return difference > 0n ? 1 : difference < 0n ? -1 : 0;
      });
    },
    invalidate: () => {
      cached = undefined;
    },
    stop: unwatch,
  };
}
