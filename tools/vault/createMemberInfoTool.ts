import { tool } from '@langchain/core/tools';
import { formatUnits, getAddress } from 'viem';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import { toToolResult } from '../toToolResult.js';
import type { Y2cToolContext } from '../Y2cToolContext.js';
import { memberInfoSchema } from './schemas.js';

/**
 * The `member_info` tool: a staker's principal, lock and compute balance, from the vault.
 *
 * @param context Chain, deployment, token.
 * @returns The LangChain tool.
 * @example await createMemberInfoTool(context).invoke({ address: '0x…' })
 */
export function createMemberInfoTool(context: Y2cToolContext) {
  const units = (amount: bigint) => `${formatUnits(amount, context.token.decimals)} ${context.token.symbol}`;
  return tool(
    (input) =>
      toToolResult(async () => {
        const staker = getAddress(input.address);
        const vault = context.deployment.agent.vault;
        const [principal, unlocksAt, computeBalance] = await Promise.all([
          context.publicClient.readContract({ address: vault, abi: yieldVaultAbi, functionName: 'principalOf', args: [staker] }),
          context.publicClient.readContract({ address: vault, abi: yieldVaultAbi, functionName: 'unlocksAt', args: [staker] }),
          context.publicClient.readContract({ address: vault, abi: yieldVaultAbi, functionName: 'computeBalanceOf', args: [staker] }),
        ]);
        const lock = principal === 0n ? 'no stake' : `unlocks at ${new Date(Number(unlocksAt) * 1000).toISOString()}`;
        return [
          `${staker}: principal ${units(principal)}, ${lock}, compute balance ${units(computeBalance)}.`,
          { staker, principal: principal.toString(), unlocksAt: Number(unlocksAt), computeBalance: computeBalance.toString() },
        ];
      }),
    {
      name: 'member_info',
      description: "Looks up a staker in the agent's vault: principal staked, when it unlocks, and the compute balance their share of the yield has earned.",
      schema: memberInfoSchema,
      responseFormat: 'content_and_artifact',
    },
  );
}
