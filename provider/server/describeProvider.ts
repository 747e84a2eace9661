import { protocolHeaders } from '../../protocol/protocolHeaders.js';
import type { ProviderInfoWire } from '../../protocol/schemas.js';
import type { ProviderContext } from './ProviderContext.js';

/**
 * The provider's `GET /y2c/info` body: identity, terms, models and (when sold) its x402 offer.
 *
 * @param context The provider.
 * @returns The wire message.
 * @example sendJson(res, 200, describeProvider(context));
 */
export function describeProvider(context: ProviderContext): ProviderInfoWire {
  const { provider, market, chainId, terms, maxBodyBytes, backend, modelInfo, x402 } = context;
  return {
    provider,
    market,
    chainId,
    priceInPerMTok: terms.priceInPerMTok.toString(),
    priceOutPerMTok: terms.priceOutPerMTok.toString(),
    defaultMaxTokens: terms.defaultMaxTokens.toString(),
    maxBodyBytes,
    models: [...backend.models],
    modelInfo: { ...modelInfo },
    backend: backend.kind,
    voucherHeader: protocolHeaders.voucher,
    ...(x402 ? { x402: { version: 2 as const, network: x402.network, schemes: ['batch-settlement', 'exact'] } } : {}),
  };
}
