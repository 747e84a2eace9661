import { tool } from '@langchain/core/tools';
import { jsonSafe } from '../../core/jsonSafe.js';
import { toToolResult } from '../toToolResult.js';
import type { Y2cToolContext } from '../Y2cToolContext.js';
import { closeComputeChannelSchema } from './schemas.js';
import { syncChannels } from './syncChannels.js';

/**
 * The `close_compute_channel` tool: requests the close of an open channel, or finalizes one whose
 * challenge window has ended (the unspent deposit returns to the agent).
 *
 * @param context Guard, chain, memory.
 * @returns The LangChain tool.
 * @example await createCloseComputeChannelTool(context).invoke({ channelId: '3' })
 */
export function createCloseComputeChannelTool(context: Y2cToolContext) {
  return tool(
    (input) =>
      toToolResult(async () => {
        const channelId = BigInt(input.channelId);
        await syncChannels(context);
        const channel = context.memory.channels.get(channelId);
        const block = await context.publicClient.getBlock();
        if (channel?.status === 'closing' && channel.closesAt !== undefined && BigInt(channel.closesAt) > block.timestamp) {
          return [`Channel #${channelId} is already closing; its challenge window ends at ${new Date(channel.closesAt * 1000).toISOString()}.`, { channelId: input.channelId, status: 'closing' }];
        }
        const action = channel?.status === 'closing' ? ({ action: 'finalize', channelId } as const) : ({ action: 'request_close', channelId } as const);
        const receipt = await context.guard.execute(action, { reason: `the model closed channel #${channelId}`, origin: 'llm' });
        const text = action.action === 'finalize' ? `Finalized channel #${channelId}; the unspent deposit is back.` : `Requested the close of channel #${channelId}; finalize it after the challenge window.`;
        return [`${text} (${receipt.transactionHash})`, jsonSafe(receipt)];
      }),
    {
      name: 'close_compute_channel',
      description: "Closes one of the agent's payment channels: requests the close of an open channel, or finalizes one whose challenge window has ended so the unspent deposit returns.",
      schema: closeComputeChannelSchema,
      responseFormat: 'content_and_artifact',
    },
  );
}
