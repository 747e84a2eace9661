import type { Account, Chain, Client, Transport } from 'viem';
import { readContract } from 'viem/actions';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import { registerProvider, type RegisterProviderParameters } from './registerProvider.js';

/** Return type of {@link ensureRegistration}: whether a transaction was sent. */
export type EnsureRegistrationReturnType = { changed: boolean };

/**
 * Makes the provider's market entry active with exactly these terms (endpoint, prices, models), sending
 * `registerProvider` only when the entry differs. The frontends of a fleet share one key and all call it
 * with the same public URL, so the first registers and the others leave the entry as it is; a frontend
 * started with other terms (a new price, a moved URL) restores them for the fleet. When two frontends
 * race on the key's nonce, the loser re-reads the entry and is done if the winner wrote the same terms.
 *
 * @param client Wallet client of the provider's key.
 * @param parameters Market and the terms to hold.
 * @returns Whether the entry was written.
 * @throws {ProviderRegistrationError} When the registration fails and the entry still differs.
 * @example await ensureRegistration(client, { market, endpoint: 'https://llm.example/v1', priceInPerMTok, priceOutPerMTok, models });
 */
export async function ensureRegistration(client: Client<Transport, Chain, Account>, parameters: RegisterProviderParameters): Promise<EnsureRegistrationReturnType> {
  const current = async () => {
    const entry = await readContract(client, { address: parameters.market, abi: computeMarketAbi, functionName: 'getProvider', args: [client.account.address] });
    return (
      entry.active &&
      entry.endpoint === parameters.endpoint &&
      entry.priceInPerMTok === parameters.priceInPerMTok &&
      entry.priceOutPerMTok === parameters.priceOutPerMTok &&
      entry.models.length === parameters.models.length &&
      entry.models.every((model, i) => model === parameters.models[i])
    );
  };
  if (await current()) return { changed: false };
  try {
    await registerProvider(client, parameters);
  } catch (error) {
    if (await current()) return { changed: false };
    throw error;
  }
  return { changed: true };
}
