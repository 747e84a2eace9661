import { tool } from '@langchain/core/tools';
import { formatUnits } from 'viem';
import { jsonSafe } from '../../core/jsonSafe.js';
import { toToolResult } from '../toToolResult.js';
import type { Y2cToolContext } from '../Y2cToolContext.js';
import { harvestYieldSchema } from './schemas.js';

/**
 * The `harvest_yield` tool: sends the vault's yield (never principal) to the agent's account,
 * through the guarded executor.
 *
 * @param context Guard and token.
 * @returns The LangChain tool.
 * @example await createHarvestYieldTool(context).invoke({ reason: 'runway below target' })
 */
export function createHarvestYieldTool(context: Y2cToolContext) {
  return tool(
    (input, config) =>
      toToolResult(async () => {
        config?.signal?.throwIfAborted();
        const receipt = await context.guard.execute({ action: 'harvest' }, { reason: input.reason, origin: 'llm' });
        const amount = receipt.amount ?? 0n;
        return [`Harvested ${formatUnits(amount, context.token.decimals)} ${context.token.symbol} in ${receipt.transactionHash}.`, jsonSafe(receipt)];
      }),
    {
      name: 'harvest_yield',
      description: "Harvests the vault's accrued yield into the agent's account. Only yield moves; stakers' principal is never touched. Costs gas: harvest when the yield is worth it.",
      schema: harvestYieldSchema,
      responseFormat: 'content_and_artifact',
    },
  );
}
