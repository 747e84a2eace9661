import type { Address, Hash, PublicClient } from 'viem';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import type { SignedReceipt } from '../../chain/receipt/receiptTypes.js';
import type { AgentDeployment } from '../../guard/AgentDeployment.js';
import type { GuardedExecutor } from '../../guard/createGuardedExecutor.js';
import type { PayingStore } from '../../tools/compute/PayingStore.js';

/** Parameters of {@link runBondClaims}. */
export type RunBondClaimsParameters = {
  publicClient: PublicClient;
  deployment: AgentDeployment;
  /** The paying store, with the provider receipts the paying fetch verified and kept. */
  payingStore: Pick<PayingStore, 'channels'> & { receipts?: (channelId: bigint) => SignedReceipt[] | Promise<SignedReceipt[]> };
  /** The guarded executor: claims go through it and the session key's on-chain policy. */
  guard: Pick<GuardedExecutor, 'execute'>;
};

/** One claim the job made. */
export type BondClaimOutcome = { channelId: bigint; provider: Address; action: 'accuse_over_redemption' | 'slash_over_redemption'; transactionHash: Hash; spentAfter?: bigint; redeemed?: bigint };

/**
 * Claims a lying provider's bond from the agent's own receipts, after the settle audit: for each channel
 * in the paying store whose on-chain `redeemed` is above the highest `spentAfter` the provider signed
 * (the latest receipt kept), accuses it with that receipt; once an accusation's response window has
 * ended unanswered, slashes, and the market pays the bond to the channel's payer, the agent's account.
 * A provider holding no bond is not accused (the gas would buy nothing). Every claim goes through the
 * guarded executor, which checks it first (guard/checkBondClaim.ts). Idempotent.
 *
 * @param parameters Chain, deployment, paying store and guard.
 * @returns The claims sent.
 * @example const claims = await runBondClaims({ publicClient, deployment, payingStore, guard });
 */
export async function runBondClaims(parameters: RunBondClaimsParameters): Promise<BondClaimOutcome[]> {
  const { publicClient, deployment, payingStore, guard } = parameters;
  const market = deployment.computeMarket;
  if (!payingStore.receipts) return [];
  const outcomes: BondClaimOutcome[] = [];
  const now = Number((await publicClient.getBlock()).timestamp);
  for (const state of await payingStore.channels()) {
    const [, deadline] = await publicClient.readContract({ address: market, abi: computeMarketAbi, functionName: 'accusationOf', args: [state.channelId] });
    if (deadline !== 0n) {
      if (BigInt(now) <= deadline) continue;
      const sent = await guard.execute(
        { action: 'slash_over_redemption', channelId: state.channelId },
        { reason: `provider ${state.provider} left the over-redemption accusation on channel ${state.channelId} unanswered past ${deadline}: slash its bond to the agent`, origin: 'policy' },
      );
      outcomes.push({ channelId: state.channelId, provider: state.provider, action: 'slash_over_redemption', transactionHash: sent.transactionHash });
      continue;
    }
    const receipts = await payingStore.receipts(state.channelId);
    const latest = receipts.reduce<SignedReceipt | undefined>((best, receipt) => (!best || receipt.spentAfter > best.spentAfter ? receipt : best), undefined);
    if (!latest) continue;
    const channel = await publicClient.readContract({ address: market, abi: computeMarketAbi, functionName: 'getChannel', args: [state.channelId] });
    if (channel.redeemed <= latest.spentAfter) continue;
    const bond = await publicClient.readContract({ address: market, abi: computeMarketAbi, functionName: 'bondOf', args: [channel.provider] });
    if (bond.bonded === 0n) continue;
    const sent = await guard.execute(
      { action: 'accuse_over_redemption', receipt: latest },
      {
        reason: `provider ${channel.provider} redeemed ${channel.redeemed} on channel ${state.channelId}, above the ${latest.spentAfter} it last signed for: accuse it with that receipt`,
        origin: 'policy',
      },
    );
    outcomes.push({ channelId: state.channelId, provider: channel.provider, action: 'accuse_over_redemption', transactionHash: sent.transactionHash, spentAfter: latest.spentAfter, redeemed: channel.redeemed });
  }
  return outcomes;
}
