import type { Account, Address, Chain, Client, Hash, Transport } from 'viem';
import { sendRegistryCall } from './sendRegistryCall.js';

/** Parameters of {@link registerProvider} (and of `updateProvider`). */
export type RegisterProviderParameters = {
  /** The ComputeMarket contract. */
  market: Address;
  /** Public base URL of the provider's OpenAI-compatible API. */
  endpoint: string;
  /** Payment-token units per million prompt tokens. */
  priceInPerMTok: bigint;
  /** Payment-token units per million completion tokens. */
  priceOutPerMTok: bigint;
  /** Model ids served. */
  models: readonly string[];
  /** Free-form metadata (JSON by convention). */
  metadata?: string;
};

/** Return type of {@link registerProvider}. */
export type RegisterProviderReturnType = { txHash: Hash };

/**
 * Registers the client's account as a compute provider in the market (or re-activates it with new
 * terms), and waits for the transaction.
 *
 * @param client Wallet client of the provider's key.
 * @param parameters Market, endpoint, prices and models.
 * @returns The transaction hash.
 * @throws {ProviderRegistrationError} When the transaction fails or reverts.
 * @example await registerProvider(walletClient, { market, endpoint: 'http://127.0.0.1:8787/v1', priceInPerMTok: 500_000n, priceOutPerMTok: 1_500_000n, models: ['llama'] });
 */
export async function registerProvider(client: Client<Transport, Chain, Account>, parameters: RegisterProviderParameters): Promise<RegisterProviderReturnType> {
  return sendRegistryCall(client, parameters.market, 'registerProvider', [
    parameters.endpoint,
    parameters.priceInPerMTok,
    parameters.priceOutPerMTok,
    [...parameters.models],
    parameters.metadata ?? '',
  ]);
}
