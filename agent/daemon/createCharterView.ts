import type { Address, Hex, PublicClient } from 'viem';
import { charterAbi } from '../../chain/abi/generated/charter.js';
import type { CharterSeed } from '../../chain/deploy/deployWorld.js';
import { readCharter } from '../../chain/governance/readCharter.js';
import type { Logger } from '../../core/Logger.js';

/** What the daemon enforces from the charter (or from config, when the agent has no charter). */
export type CharterSnapshot = CharterSeed & {
  source: 'chain' | 'config';
  version: number;
  constitutionHash: Hex | undefined;
};

/** Parameters of {@link createCharterView}. */
export type CreateCharterViewParameters = {
  publicClient: PublicClient;
  /** The Charter contract; without one the view is the config seed and never changes. */
  charter: Address | undefined;
  /** Config's values (charter v1's seed), used when there is no charter. */
  seed: CharterSeed;
  log: Logger;
  /** Called after each refresh caused by an update event (e.g. to republish the agent's registration file). */
  onUpdate?: (snapshot: CharterSnapshot) => void;
};

/** A cached charter, kept fresh by its update events. */
export type CharterView = {
  /** The charter in force (a cached value: the hot path reads nothing from the chain). */
  current: () => CharterSnapshot;
  /** Re-reads the chain now (the event watcher calls it). */
  refresh: () => Promise<CharterSnapshot>;
  /** Stops watching. */
  stop: () => void;
};

/**
 * The daemon's charter: read once at start, then re-read on every `CharterUpdated` event, so a
 * charter change executed by the timelock changes the agent's next answer (constitution) and its
 * next treasury decision (runway target, caps) without a restart.
 *
 * @param parameters Client, charter address, config seed and log.
 * @returns The view.
 */
export async function createCharterView(parameters: CreateCharterViewParameters): Promise<CharterView> {
  const { publicClient, charter, seed, log } = parameters;
  let snapshot: CharterSnapshot = { ...seed, source: 'config', version: 0, constitutionHash: undefined };
  if (!charter) return { current: () => snapshot, refresh: async () => snapshot, stop: () => {} };

  const refresh = async () => {
    const { current } = await readCharter(publicClient, { charter });
    snapshot = {
      source: 'chain',
      version: current.version,
      constitutionHash: current.constitutionHash,
      constitution: current.constitution,
      perCallCap: current.limits.perCallCap,
      dailyCap: current.limits.dailyCap,
      runwayTargetHours: current.limits.runwayTargetHours,
      trustedProviders: current.limits.trustedProviders,
      proposalsPerPeriod: current.limits.proposalsPerPeriod,
      proposalPeriod: current.limits.proposalPeriod,
    };
    return snapshot;
  };
  await refresh();
  const unwatch = publicClient.watchContractEvent({
    address: charter,
    abi: charterAbi,
    eventName: 'CharterUpdated',
    onLogs: () => {
      refresh().then(
        (next) => {
          log.info('charter updated', { version: next.version, constitutionHash: next.constitutionHash });
          parameters.onUpdate?.(next);
        },
        (error: unknown) => log.error('charter refresh failed', { error: String(error) }),
      );
    },
    onError: (error) => log.warn('charter watch error', { error: error.message }),
  });
  return { current: () => snapshot, refresh, stop: unwatch };
}
