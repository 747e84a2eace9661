import { decodeFunctionData, isAddressEqual, type Address } from 'viem';
import { agentAccountAbi } from '../../chain/abi/generated/agentAccount.js';
import { agentGovernorAbi } from '../../chain/abi/generated/agentGovernor.js';
import { charterAbi } from '../../chain/abi/generated/charter.js';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import { readProviderReputation } from '../../chain/identity/readProviderReputation.js';
import { agentProposalKind } from '../../chain/governance/ProposalContent.js';
import { listProposals } from '../../chain/governance/listProposals.js';
import { readTreasuryStatus } from '../../tools/account/readTreasuryStatus.js';
import type { GasEstimates, GovernanceSnapshot, ProviderSnapshot, TreasurySnapshot } from '../policy/types.js';
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
      const [info, bond] = await Promise.all([
        publicClient.readContract({ address: market, abi: computeMarketAbi, functionName: 'getProvider', args: [address] }),
        publicClient.readContract({ address: market, abi: computeMarketAbi, functionName: 'bondOf', args: [address] }),
      ]);
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
        bond: bond.bonded,
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
    ...(deployment.governance ? { governance: await readGovernanceSnapshot(context, deployment.governance) } : {}),
  };
}

const openStates = new Set(['pending', 'active', 'succeeded', 'queued']);

/** The session's window, the charter's proposal rate and the agent's own proposals. */
async function readGovernanceSnapshot(context: ReadTreasurySnapshotParameters, governance: { governor: Address; charter: Address }): Promise<GovernanceSnapshot> {
  const { publicClient, deployment, wallet } = context;
  const tba = deployment.agent.tba;
  const [[session], filed, limits, proposals] = await Promise.all([
    publicClient.readContract({ address: tba, abi: agentAccountAbi, functionName: 'getSession', args: [wallet.sessionKey] }),
    publicClient.readContract({ address: governance.governor, abi: agentGovernorAbi, functionName: 'agentProposalsThisPeriod' }),
    publicClient.readContract({ address: governance.charter, abi: charterAbi, functionName: 'limits' }),
    listProposals(publicClient, { governor: governance.governor }),
  ]);
  return {
    sessionValidUntil: session.validUntil,
    filedThisPeriod: Number(filed),
    proposalsPerPeriod: limits.proposalsPerPeriod,
    proposalPeriod: limits.proposalPeriod,
    proposals: proposals
      .filter((proposal) => isAddressEqual(proposal.proposer, tba))
      .map((proposal) => {
        const kind = agentProposalKind(proposal.description);
        return { kind, open: openStates.has(proposal.state), snapshot: Number(proposal.snapshot), provider: kind === 'trustProvider' ? trustedBy(proposal.calldatas[0]) : undefined };
      }),
  };
}

/** The provider a trust proposal adds: the last of the charter update's trusted list. */
function trustedBy(calldata: `0x${string}` | undefined): Address | undefined {
  if (!calldata) return undefined;
  try {
    const { functionName, args } = decodeFunctionData({ abi: charterAbi, data: calldata });
    return functionName === 'update' ? args[1].trustedProviders.at(-1) : undefined;
  } catch {
    return undefined;
  }
}
