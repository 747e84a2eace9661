import { isAddressEqual, type Address, type PublicClient } from 'viem';
import { identityRegistryAbi } from '../abi/generated/identityRegistry.js';

/** Parameters of {@link findAgentIdOf}. */
export type FindAgentIdOfParameters = {
  /** The ERC-8004 Identity Registry. */
  identityRegistry: Address;
  /** The address whose agent id is wanted (a provider's account). */
  owner: Address;
};

/**
 * The ERC-8004 agent id an address registered for itself: the newest `Registered(agentId, uri,
 * owner)` event naming it as owner whose token it still owns (an id it sold or that was never
 * its own does not count). `undefined` when it has none.
 *
 * @param publicClient Client on the registry's chain.
 * @param parameters Registry and owner.
 * @returns The agent id, or undefined.
 * @example const id = await findAgentIdOf(publicClient, { identityRegistry, owner: provider })
 */
export async function findAgentIdOf(publicClient: PublicClient, parameters: FindAgentIdOfParameters): Promise<bigint | undefined> {
  const { identityRegistry, owner } = parameters;
  const events = await publicClient.getContractEvents({ address: identityRegistry, abi: identityRegistryAbi, eventName: 'Registered', args: { owner }, fromBlock: 0n });
  for (const event of [...events].reverse()) {
    const agentId = event.args.agentId;
    if (agentId === undefined) continue;
    const current = await publicClient.readContract({ address: identityRegistry, abi: identityRegistryAbi, functionName: 'ownerOf', args: [agentId] }).catch(() => undefined);
    if (current && isAddressEqual(current, owner)) return agentId;
  }
  return undefined;
}
