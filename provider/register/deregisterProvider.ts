import type { Account, Address, Chain, Client, Transport } from 'viem';
import type { RegisterProviderReturnType } from './registerProvider.js';
import { sendRegistryCall } from './sendRegistryCall.js';

/** Parameters of {@link deregisterProvider}. */
export type DeregisterProviderParameters = {
  /** The ComputeMarket contract. */
  market: Address;
};

/** Return type of {@link deregisterProvider}. */
export type DeregisterProviderReturnType = RegisterProviderReturnType;

/**
 * Marks the client's provider inactive in the market (open channels keep working until closed),
 * and waits for the transaction.
 *
 * @param client Wallet client of the provider's key.
 * @param parameters The market.
 * @returns The transaction hash.
 * @throws {ProviderRegistrationError} When the transaction fails or reverts.
 * @example await deregisterProvider(walletClient, { market });
 */
export async function deregisterProvider(client: Client<Transport, Chain, Account>, parameters: DeregisterProviderParameters): Promise<DeregisterProviderReturnType> {
  return sendRegistryCall(client, parameters.market, 'deregisterProvider', []);
}
