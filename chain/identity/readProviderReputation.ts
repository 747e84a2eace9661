import type { Address, PublicClient } from 'viem';
import { reputationRegistryAbi } from '../abi/generated/reputationRegistry.js';
import type { Erc8004Deployment } from '../deploy/deployment.js';
import { findAgentIdOf } from './findAgentIdOf.js';
import { providerFeedbackTag } from './providerFeedbackTag.js';

/** Parameters of {@link readProviderReputation}. */
export type ReadProviderReputationParameters = {
  erc8004: Erc8004Deployment;
  provider: Address;
  /** Clients whose feedback counts (the agent's own TBA and the configured ones); others are ignored. */
  trustedClients: readonly Address[];
};

/** A provider's reputation among trusted clients: feedback count and average score (0..100). */
export type ProviderReputation = { agentId: bigint; count: number; score: number };

/**
 * What the agent's trusted clients said about `provider` in the ERC-8004 Reputation Registry
 * (`getSummary` over y2c's audit tag, filtered by those clients, so Sybil feedback from anyone else
 * moves nothing). `undefined` when the provider has no ERC-8004 identity or no client is trusted.
 *
 * @param publicClient Client on the registries' chain.
 * @param parameters Registries, provider and trusted clients.
 * @returns The reputation, or undefined.
 */
export async function readProviderReputation(publicClient: PublicClient, parameters: ReadProviderReputationParameters): Promise<ProviderReputation | undefined> {
  const { erc8004, provider, trustedClients } = parameters;
  if (trustedClients.length === 0) return undefined;
  const agentId = await findAgentIdOf(publicClient, { identityRegistry: erc8004.identityRegistry, owner: provider });
  if (agentId === undefined) return undefined;
  const [count, value, decimals] = await publicClient.readContract({
    address: erc8004.reputationRegistry,
    abi: reputationRegistryAbi,
    functionName: 'getSummary',
    args: [agentId, [...trustedClients], providerFeedbackTag, ''],
  });
  return { agentId, count: Number(count), score: Number(value) / 10 ** decimals };
}
