import { createPublicClient, custom, parseEventLogs, type Account, type Address, type Chain, type Client, type PublicClient, type Transport } from 'viem';
import { waitForTransactionReceipt, writeContract } from 'viem/actions';
import { identityRegistryAbi } from '../../chain/abi/generated/identityRegistry.js';
import { findAgentIdOf } from '../../chain/identity/findAgentIdOf.js';
import { ProviderRegistrationError } from './ProviderRegistrationError.js';

/** Parameters of {@link registerProviderIdentity}. */
export type RegisterProviderIdentityParameters = {
  /** The ERC-8004 Identity Registry. */
  identityRegistry: Address;
  /** The provider's registration file URI (e.g. its `/y2c/info` URL). */
  agentURI: string;
};

/** Return type of {@link registerProviderIdentity}. */
export type RegisterProviderIdentityReturnType = { agentId: bigint; registered: boolean };

/**
 * Gives the provider's key an ERC-8004 identity, so the agents that buy from it can rate it in the
 * Reputation Registry (its owner is the provider's address, which is how buyers find it). Keeps
 * an identity the key already owns.
 *
 * @param client Wallet client of the provider's key.
 * @param parameters Registry and the provider's agent URI.
 * @returns The agent id, and whether it was registered now.
 * @throws {ProviderRegistrationError} When the registration reverts.
 */
export async function registerProviderIdentity(client: Client<Transport, Chain, Account>, parameters: RegisterProviderIdentityParameters): Promise<RegisterProviderIdentityReturnType> {
  const publicClient = createPublicClient({ chain: client.chain, transport: custom(client) }) as PublicClient;
  const owner = client.account.address;
  const known = await findAgentIdOf(publicClient, { identityRegistry: parameters.identityRegistry, owner });
  if (known !== undefined) return { agentId: known, registered: false };
  const hash = await writeContract(client, { address: parameters.identityRegistry, abi: identityRegistryAbi, functionName: 'register', args: [parameters.agentURI], chain: client.chain, account: client.account });
  const receipt = await waitForTransactionReceipt(client, { hash });
  const event = parseEventLogs({ abi: identityRegistryAbi, logs: receipt.logs, eventName: 'Registered' })[0];
  if (receipt.status !== 'success' || !event) throw new ProviderRegistrationError(`The ERC-8004 registration of ${owner} reverted (transaction ${hash}).`);
  return { agentId: event.args.agentId, registered: true };
}
