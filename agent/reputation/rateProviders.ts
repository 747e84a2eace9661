import { isAddressEqual, zeroHash, type Address, type PublicClient } from 'viem';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import { findAgentIdOf } from '../../chain/identity/findAgentIdOf.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import type { AgentDeployment } from '../../guard/AgentDeployment.js';
import type { GuardedExecutor } from '../../guard/createGuardedExecutor.js';
import { providerFeedbackTag } from '../../chain/identity/providerFeedbackTag.js';
import { scoreProvider } from './scoreProvider.js';

/** Parameters of {@link rateProviders}. */
export type RateProvidersParameters = {
  publicClient: PublicClient;
  deployment: AgentDeployment;
  memory: Pick<OpenAgentMemoryReturnType, 'calls' | 'channels' | 'kv'>;
  guard: GuardedExecutor;
  /** Providers whose redemptions did not match the ledger in the audit just run. */
  mismatched: readonly Address[];
  /** The tolerated median latency (config treasury `maxP50LatencyMs`). */
  maxP50LatencyMs: number;
  /** Unix seconds (default wall clock). */
  now?: () => number;
};

/** One provider the audit covered, and what the agent did about its reputation. */
export type ProviderRating = {
  provider: Address;
  score: number;
  ledgerMatched: boolean;
  outcome: 'posted' | 'unchanged' | 'no identity';
};

/** How long a posted score stands before the agent posts it again (gas is value). */
const repostAfterSeconds = 86_400;
/** The window of calls a score is computed over. */
const windowSeconds = 7 * 86_400;

/**
 * After a settlement audit, posts the agent's ERC-8004 feedback on every provider it has channels
 * or calls with: the score from its success rate, median latency and whether its redemptions
 * matched the ledger (`scoreProvider`), tagged `y2c.audit` + `ledger-match`/`ledger-mismatch`, on
 * the provider's own ERC-8004 identity (found on chain, never taken from the provider's word),
 * through the guarded executor. A score is posted again only when it changed or a day passed.
 *
 * @param parameters Chain, deployment, memory, executor, the audit's mismatches and the latency bound.
 * @returns One rating per provider.
 */
export async function rateProviders(parameters: RateProvidersParameters): Promise<ProviderRating[]> {
  const { publicClient, deployment, memory, guard } = parameters;
  const erc8004 = deployment.erc8004;
  if (!erc8004) return [];
  const now = parameters.now?.() ?? Math.floor(Date.now() / 1000);
  const stats = memory.calls.providerStats(now - windowSeconds);
  const providers: Address[] = [];
  for (const address of [...memory.channels.list(500).map((channel) => channel.provider), ...stats.map((stat) => stat.provider), ...parameters.mismatched]) {
    if (!providers.some((known) => isAddressEqual(known, address))) providers.push(address);
  }
  const ratings: ProviderRating[] = [];
  for (const provider of providers) {
    const stat = stats.find((item) => isAddressEqual(item.provider, provider));
    const ledgerMatched = !parameters.mismatched.some((address) => isAddressEqual(address, provider));
    const score = scoreProvider({ successRate: stat?.successRate ?? 1, p50LatencyMs: stat?.p50LatencyMs ?? 0, ledgerMatched, maxP50LatencyMs: parameters.maxP50LatencyMs });
    const agentId = await findAgentIdOf(publicClient, { identityRegistry: erc8004.identityRegistry, owner: provider });
    if (agentId === undefined) {
      ratings.push({ provider, score, ledgerMatched, outcome: 'no identity' });
      continue;
    }
    const key = `reputation.posted.${provider.toLowerCase()}`;
    const last = memory.kv.getJson<{ score: number; at: number }>(key);
    if (last && last.score === score && now - last.at < repostAfterSeconds) {
      ratings.push({ provider, score, ledgerMatched, outcome: 'unchanged' });
      continue;
    }
    const info = await publicClient.readContract({ address: deployment.computeMarket, abi: computeMarketAbi, functionName: 'getProvider', args: [provider] });
    await guard.execute(
      {
        action: 'rate_provider',
        providerAgentId: agentId,
        value: BigInt(score),
        valueDecimals: 0,
        tag1: providerFeedbackTag,
        tag2: ledgerMatched ? 'ledger-match' : 'ledger-mismatch',
        // The provider chose this text: bounded, so a long one cannot make the guard refuse its rating.
        endpoint: info.endpoint.slice(0, 256),
        feedbackURI: '',
        feedbackHash: zeroHash,
      },
      { reason: `settlement audit: ${provider} scores ${score}/100 (success ${((stat?.successRate ?? 1) * 100).toFixed(1)}%, p50 ${stat?.p50LatencyMs ?? 0} ms, ledger ${ledgerMatched ? 'matched' : 'MISMATCHED'})`, origin: 'policy' },
    );
    memory.kv.setJson(key, { score, at: now });
    ratings.push({ provider, score, ledgerMatched, outcome: 'posted' });
  }
  return ratings;
}
