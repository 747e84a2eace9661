import type { Account, Chain, Client, Transport } from 'viem';
import type { RegisterProviderParameters, RegisterProviderReturnType } from './registerProvider.js';
import { sendRegistryCall } from './sendRegistryCall.js';

/** Parameters of {@link updateProvider}: the new terms. */
export type UpdateProviderParameters = RegisterProviderParameters;

/** Return type of {@link updateProvider}. */
export type UpdateProviderReturnType = RegisterProviderReturnType;

/**
 * Changes the client's provider terms in the market (it must be registered), and waits for the transaction.
 *
 * @param client Wallet client of the provider's key.
 * @param parameters Market and the new endpoint, prices and models.
 * @returns The transaction hash.
 * @throws {ProviderRegistrationError} When the transaction fails or reverts (e.g. not registered).
 * @example await updateProvider(walletClient, { market, endpoint, priceInPerMTok: 400_000n, priceOutPerMTok: 1_200_000n, models: ['llama'] });
 */
export async function updateProvider(client: Client<Transport, Chain, Account>, parameters: UpdateProviderParameters): Promise<UpdateProviderReturnType> {
  return sendRegistryCall(client, parameters.market, 'updateProvider', [
    parameters.endpoint,
    parameters.priceInPerMTok,
    parameters.priceOutPerMTok,
    [...parameters.models],
    parameters.metadata ?? '',
  ]);
}
