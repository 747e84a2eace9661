import { isAddressEqual } from 'viem';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import { readProviderReputation } from '../../chain/identity/readProviderReputation.js';
import { readTreasuryStatus } from '../../tools/account/readTreasuryStatus.js';
import type { GasEstimates, ProviderSnapshot, TreasurySnapshot } from '../policy/types.js';
import type { TreasuryContext } from './TreasuryContext.js';

/** Gas units of each action, measured on the devnet with some margin. */
export const defaultGasEstimates: GasEstimates = {
  harvest: 180_000n,
  open: 260_000n,
  topUp: 160_000n,
  requestClose: 90_000n,
  finalize: 120_000n,
  refillGas: 80_000n,
};

/** Parameters of {@link readTreasurySnapshot}. */
export type ReadTreasurySnapshotParameters = TreasuryContext;

/** Return type of {@link readTreasurySnapshot}. */
export type ReadTreasurySnapshotReturnType = TreasurySnapshot;

/**
 * Builds the treasury policy's input from the chain (balances, pending yield, channels, providers,
 * gas price, chain time) and memory (what providers reported as spent, burn rate, call health,
 * today's committed deposits). Memory only holds measurements; limits come from the config.
 *
 * @param context Chain, memory, guard and tuning.
 * @returns The snapshot for `decideTreasury`.
 * @example const decisions = decideTreasury(await readTreasurySnapshot(context), context.params)
 */
export async function readTreasurySnapshot(context: ReadTreasurySnapshotParameters): Promise<ReadTreasurySnapshotReturnType> {
  const { publicClient, deployment, memory, payingStore, guard } = context;
  const market = deployment.computeMarket;
  if (payingStore) {
    for (const state of await payingStore.channels()) {
      const known = memory.channels.get(state.channelId);
      if (known && state.spent > known.spent) memory.channels.recordSpent(state.channelId, state.spent);
    }
  }
  const [status, gasPriceWei, block, addresses] = await Promise.all([
    readTreasuryStatus(context),
    publicClient.getGasPrice(),
    publicClient.getBlock(),
    publicClient.readContract({ address: market, abi: computeMarketAbi, functionName: 'getProviders' }),
  ]);
  const stats = memory.calls.providerStats(Number(block.timestamp) - 86_400);
  const providers: ProviderSnapshot[] = await Promise.all(
    addresses.map(async (address) => {
      const info = await publicClient.readContract({ address: market, abi: computeMarketAbi, functionName: 'getProvider', args: [address] });
      const stat = stats.find((item) => isAddressEqual(item.provider, address));
      const reputation =
        deployment.erc8004 && context.reputationClients?.length
          ? await readProviderReputation(publicClient, { erc8004: deployment.erc8004, provider: address, trustedClients: context.reputationClients })
          : undefined;
      return {
        address,
        priceIn: info.priceInPerMTok,
        priceOut: info.priceOutPerMTok,
        active: info.active,
        trusted: guard.policy.trustedProviders.some((trusted) => isAddressEqual(trusted, address)),
        healthy: { successRate: stat?.successRate ?? 1, p50LatencyMs: stat?.p50LatencyMs ?? 0, samples: stat?.calls ?? 0 },
        ...(reputation && reputation.count > 0 ? { reputation: { score: reputation.score, count: reputation.count } } : {}),
      };
    }),
  );
  // Memory stamps times with the wall clock; the policy compares them with chain time, which a
  // devnet warp moves ahead. Shift memory times by the difference so idle hours stay true.
  const nowMs = context.now?.() ?? Date.now();
  const offset = Number(block.timestamp) - Math.floor(nowMs / 1000);
  const daySpend = payingStore ? await payingStore.costSince(nowMs - 86_400_000) : 0n;
  return {
    now: Number(block.timestamp),
    pendingYield: status.pendingYield,
    tbaBalance: status.tokenBalance,
    tbaEthBalance: status.ethBalance,
    sessionKeyEthBalance: status.sessionKeyEthBalance,
    gasPriceWei,
    gas: defaultGasEstimates,
    ethPriceInToken: context.ethPriceInToken,
    channels: status.channels.map((channel) => ({
      channelId: channel.channelId,
      provider: channel.provider,
      deposit: channel.deposit,
      redeemed: channel.redeemed,
      spentReported: channel.spent,
      openedAt: channel.openedAt + offset,
      lastUsedAt: channel.lastUsedAt === undefined ? undefined : channel.lastUsedAt + offset,
      closesAt: channel.status === 'closing' ? channel.closesAt : undefined,
    })),
    providers,
    burnRatePerHour: daySpend / 24n,
    runwayTargetHours: context.runwayTargetHours,
    minHarvest: context.minHarvest,
    caps: { dailyBudgetRemaining: guard.remainingToday() },
  };
}
