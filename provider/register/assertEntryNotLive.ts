import { isAddressEqual, type Address, type Chain, type Client, type Transport } from 'viem';
import { readContract } from 'viem/actions';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import { AgentError } from '../../core/AgentError.js';
import { providerPaths } from '../../protocol/providerPaths.js';

/** Another running node already serves this provider key's market entry. */
export class ProviderAlreadyServedError extends AgentError {
  override name = 'ProviderAlreadyServedError' as const;
}

/** Parameters of {@link assertEntryNotLive}. */
export type AssertEntryNotLiveParameters = {
  /** The ComputeMarket contract. */
  market: Address;
  /** The provider's address (its key). */
  provider: Address;
  /** Give up on the endpoint after this long (default 2 s). */
  timeoutMs?: number;
};

/**
 * Refuses to start a second node for a provider key whose market entry points at a node that is
 * still running (its `/y2c/info` answers with the same provider, market and chain): registering
 * would move the entry to the new node's URL and leave it there after that node stops, so the
 * agent would pay a dead endpoint. An entry whose endpoint does not answer (a node that crashed)
 * may be taken over.
 *
 * @param client A client on the market's chain.
 * @param parameters Market and provider.
 * @throws {ProviderAlreadyServedError} When a live node already serves the entry.
 * @example await assertEntryNotLive(client, { market, provider: account.address });
 */
export async function assertEntryNotLive(client: Client<Transport, Chain>, parameters: AssertEntryNotLiveParameters): Promise<void> {
  const { market, provider } = parameters;
  const entry = await readContract(client, { address: market, abi: computeMarketAbi, functionName: 'getProvider', args: [provider] });
  if (!entry.active || !entry.endpoint) return;
  const origin = entry.endpoint.replace(/\/+$/, '').replace(/\/v1$/, '');
  let info: { provider?: unknown; market?: unknown; chainId?: unknown };
  try {
    const response = await fetch(`${origin}${providerPaths.info}`, { signal: AbortSignal.timeout(parameters.timeoutMs ?? 2_000) });
    if (!response.ok) return;
    info = (await response.json()) as typeof info;
  } catch {
    return;
  }
  const same =
    typeof info.provider === 'string' &&
    typeof info.market === 'string' &&
    /^0x[0-9a-fA-F]{40}$/.test(info.provider) &&
    /^0x[0-9a-fA-F]{40}$/.test(info.market) &&
    isAddressEqual(info.provider as Address, provider) &&
    isAddressEqual(info.market as Address, market) &&
    info.chainId === client.chain.id;
  if (!same) return;
  throw new ProviderAlreadyServedError(`Provider ${provider} is already served by a running node at ${entry.endpoint}: stop that node first, or start this one with another provider key (Y2C_PROVIDER_KEY).`);
}
