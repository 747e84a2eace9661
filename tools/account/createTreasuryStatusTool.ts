import { tool } from '@langchain/core/tools';
import { formatEther, formatUnits } from 'viem';
import { jsonSafe } from '../../core/jsonSafe.js';
import { toToolResult } from '../toToolResult.js';
import type { Y2cToolContext } from '../Y2cToolContext.js';
import { readTreasuryStatus } from './readTreasuryStatus.js';
import { treasuryStatusSchema } from './schemas.js';

/**
 * The `treasury_status` tool: balances, pending yield, principal and open channels, read from chain.
 *
 * @param context Chain, deployment, memory, wallet, token.
 * @returns The LangChain tool.
 * @example const status = createTreasuryStatusTool(context); await status.invoke({})
 */
export function createTreasuryStatusTool(context: Y2cToolContext) {
  const units = (amount: bigint) => `${formatUnits(amount, context.token.decimals)} ${context.token.symbol}`;
  return tool(
    (input) =>
      toToolResult(async () => {
        const status = await readTreasuryStatus(context);
        const lines = [
          `TBA ${status.tba} holds ${units(status.tokenBalance)} and ${formatEther(status.ethBalance)} ETH; session key ${formatEther(status.sessionKeyEthBalance)} ETH.`,
          `Pending yield ${units(status.pendingYield)}; harvested so far ${units(status.totalHarvested)}; community principal ${units(status.totalPrincipal)} (never spent).`,
          `Compute available in open channels: ${units(status.computeAvailable)}.`,
        ];
        if (input.includeChannels) {
          for (const channel of status.channels) {
            lines.push(`channel #${channel.channelId} with ${channel.provider}: ${channel.status}, deposit ${units(channel.deposit)}, spent ${units(channel.spent)}, redeemed ${units(channel.redeemed)}`);
          }
        }
        return [lines.join('\n'), jsonSafe(status)];
      }),
    {
      name: 'treasury_status',
      description: "Reads the agent's treasury from the chain: token and ETH balances, pending yield, harvested total, staked principal, and payment channels with compute left.",
      schema: treasuryStatusSchema,
      responseFormat: 'content_and_artifact',
    },
  );
}
