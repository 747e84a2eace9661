import { tool } from '@langchain/core/tools';
import { formatUnits, isAddressEqual } from 'viem';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import { readProviderReputation } from '../../chain/identity/readProviderReputation.js';
import { toToolResult } from '../toToolResult.js';
import type { Y2cToolContext } from '../Y2cToolContext.js';
import { listComputeProvidersSchema } from './schemas.js';

/**
 * The `list_compute_providers` tool: providers registered in the market, their prices, models,
 * and whether the agent may pay them.
 *
 * @param context Chain, deployment, guard (for the trusted list), token.
 * @returns The LangChain tool.
 * @example await createListComputeProvidersTool(context).invoke({ trustedOnly: true })
 */
export function createListComputeProvidersTool(context: Y2cToolContext) {
  const market = context.deployment.computeMarket;
  const units = (amount: bigint) => `${formatUnits(amount, context.token.decimals)} ${context.token.symbol}`;
  return tool(
    (input) =>
      toToolResult(async () => {
        const addresses = await context.publicClient.readContract({ address: market, abi: computeMarketAbi, functionName: 'getProviders' });
        const providers = await Promise.all(
          addresses.map(async (address) => {
            const info = await context.publicClient.readContract({ address: market, abi: computeMarketAbi, functionName: 'getProvider', args: [address] });
            const trusted = context.guard.policy.trustedProviders.some((item) => isAddressEqual(item, address));
            const erc8004 = context.deployment.erc8004;
            const reputation =
              erc8004 && context.reputationClients?.length
                ? await readProviderReputation(context.publicClient, { erc8004, provider: address, trustedClients: context.reputationClients })
                : undefined;
            return {
              address,
              endpoint: info.endpoint,
              priceInPerMTok: info.priceInPerMTok.toString(),
              priceOutPerMTok: info.priceOutPerMTok.toString(),
              models: [...info.models],
              active: info.active,
              trusted,
              reputation: reputation && reputation.count > 0 ? { score: reputation.score, count: reputation.count, agentId: reputation.agentId.toString() } : null,
            };
          }),
        );
        const listed = providers.filter((provider) => provider.active && (!input.trustedOnly || provider.trusted));
        const lines = listed.map(
          (provider) =>
            `${provider.address}${provider.trusted ? ' (trusted)' : ' (not trusted: the agent will not pay it)'}: ${units(BigInt(provider.priceInPerMTok))} in / ${units(BigInt(provider.priceOutPerMTok))} out per million tokens; models ${provider.models.join(', ') || 'none'}; ${provider.reputation ? `reputation ${provider.reputation.score.toFixed(1)}/100 from ${provider.reputation.count} trusted feedback` : 'no reputation from trusted clients'}`,
        );
        return [lines.length ? lines.join('\n') : 'No active providers.', listed];
      }),
    {
      name: 'list_compute_providers',
      description: 'Lists the compute providers of the market with their prices per million tokens, models, whether the agent trusts (may pay) them, and their ERC-8004 reputation among trusted clients.',
      schema: listComputeProvidersSchema,
      responseFormat: 'content_and_artifact',
    },
  );
}
