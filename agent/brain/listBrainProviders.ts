import { isAddressEqual, type PublicClient } from 'viem';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import type { AgentDeployment } from '../../guard/AgentDeployment.js';
import type { GuardPolicy } from '../../guard/GuardPolicy.js';
import type { BrainProvider } from './BrainProvider.js';
import { readModelInfo } from './readModelInfo.js';

/** Parameters of {@link listBrainProviders}. */
export type ListBrainProvidersParameters = {
  publicClient: PublicClient;
  deployment: AgentDeployment;
  memory: Pick<OpenAgentMemoryReturnType, 'channels'>;
  policy: Pick<GuardPolicy, 'trustedProviders'>;
  /** Preferred model id; a provider that lists other models is asked for its first. */
  model: string;
};

/** Return type of {@link listBrainProviders}. */
export type ListBrainProvidersReturnType = BrainProvider[];

/**
 * The providers the brain may think with: trusted, active in the market, best first (those with an
 * open channel, most deposit first, then the rest for failover), each with what its model takes
 * (context window, tools) from its `/y2c/info`.
 *
 * @param parameters Chain, memory, trust and model.
 * @returns The providers in order.
 * @example const providers = await listBrainProviders({ publicClient, deployment, memory, policy, model: 'llama' })
 */
export async function listBrainProviders(parameters: ListBrainProvidersParameters): Promise<ListBrainProvidersReturnType> {
  const { publicClient, deployment, memory, policy } = parameters;
  const market = deployment.computeMarket;
  const open = memory.channels.listOpen().filter((channel) => channel.status === 'open');
  const deposit = (address: string) => open.filter((channel) => isAddressEqual(channel.provider, address as `0x${string}`)).reduce((sum, channel) => sum + channel.deposit, 0n);
  const found: BrainProvider[] = [];
  for (const address of policy.trustedProviders) {
    const info = await publicClient.readContract({ address: market, abi: computeMarketAbi, functionName: 'getProvider', args: [address] });
    if (!info.active || !info.endpoint) continue;
    const base = info.endpoint.replace(/\/+$/, '');
    const model = info.models.length === 0 || info.models.includes(parameters.model) ? parameters.model : (info.models[0] as string);
    const baseUrl = base.endsWith('/v1') ? base : `${base}/v1`;
    const { contextLength, tools } = await readModelInfo({ baseUrl, model });
    found.push({ address, baseUrl, model, contextLength, tools });
  }
  return found.sort((a, b) => {
    const difference = deposit(b.address) - deposit(a.address);
    return difference > 0n ? 1 : difference < 0n ? -1 : 0;
  });
}
