import { tool } from '@langchain/core/tools';
import { formatUnits, getAddress, isAddressEqual, parseUnits } from 'viem';
import { jsonSafe } from '../../core/jsonSafe.js';
import { toToolResult } from '../toToolResult.js';
import type { Y2cToolContext } from '../Y2cToolContext.js';
import { buyComputeSchema } from './schemas.js';
import { syncChannels } from './syncChannels.js';

/**
 * The `buy_compute` tool: tops up the agent's open channel with a trusted provider, or opens one,
 * through the guarded executor (trusted providers only, within the per-call and daily caps).
 *
 * @param context Guard, chain, memory, token.
 * @returns The LangChain tool.
 * @example await createBuyComputeTool(context).invoke({ provider: '0x…', amount: '2' })
 */
export function createBuyComputeTool(context: Y2cToolContext) {
  return tool(
    (input, config) =>
      toToolResult(async () => {
        const provider = getAddress(input.provider);
        const amount = parseUnits(input.amount, context.token.decimals);
        const channels = await syncChannels(context);
        config?.signal?.throwIfAborted();
        const existing = channels.find((channel) => channel.status === 'open' && isAddressEqual(channel.provider, provider));
        const reason = `the model bought ${input.amount} ${context.token.symbol} of compute from ${provider}`;
        const receipt = existing
          ? await context.guard.execute({ action: 'top_up', channelId: existing.channelId, amount }, { reason, origin: 'llm' })
          : await context.guard.execute({ action: 'open', provider, amount }, { reason, origin: 'llm' });
        const verb = existing ? `Topped up channel #${receipt.channelId}` : `Opened channel #${receipt.channelId}`;
        return [`${verb} with ${provider} by ${formatUnits(amount, context.token.decimals)} ${context.token.symbol} (${receipt.transactionHash}).`, jsonSafe(receipt)];
      }),
    {
      name: 'buy_compute',
      description: "Buys inference: deposits payment tokens into a payment channel with a trusted provider (tops up the open one, or opens one). Only trusted providers; limited per call and per day.",
      schema: buyComputeSchema,
      responseFormat: 'content_and_artifact',
    },
  );
}
