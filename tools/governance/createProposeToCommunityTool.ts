import { tool } from '@langchain/core/tools';
import { getAddress } from 'viem';
import { buildAgentProposal, type AgentAsk } from '../../chain/governance/buildAgentProposal.js';
import { parseAmount } from '../../config/parseAmount.js';
import { ProposalNotAllowedError } from '../../guard/errors.js';
import { jsonSafe } from '../../core/jsonSafe.js';
import { toToolResult } from '../toToolResult.js';
import type { Y2cToolContext } from '../Y2cToolContext.js';
import { proposeToCommunitySchema } from './schemas.js';
import { firstLine } from '../../core/firstLine.js';

/**
 * The `propose_to_community` tool: when the agent wants what its charter forbids (a provider it
 * may not pay, a larger budget, another constitution, a fresh session) it files a proposal with its
 * reasons to its community's governor, through the guarded executor and the session key (whose
 * policy allows exactly `propose` on the governor). The guard and the governor both hold it to the
 * charter's proposals per period. Only the autonomous loop has this tool: a member's conversation
 * gets the member toolkit, which does not.
 *
 * @param context Wallet, chain, deployment (with governance), guard and token.
 * @returns The LangChain tool.
 * @example await createProposeToCommunityTool(context).invoke({ ask: 'charter_change', dailyCap: '200', reasons: '...' })
 */
export function createProposeToCommunityTool(context: Y2cToolContext) {
  return tool(
    (input, config) =>
      toToolResult(async () => {
        config?.signal?.throwIfAborted();
        const governance = context.deployment.governance;
        if (!governance) throw new ProposalNotAllowedError('The agent has no community to propose to: it is owned by a key.');
        const decimals = context.token.decimals;
        const ask: AgentAsk =
          input.ask === 'renew_session'
            ? { kind: 'renewSession' }
            : input.ask === 'trust_provider'
              ? { kind: 'trustProvider', provider: getAddress(input.provider as string) }
              : {
                  kind: 'charter',
                  ...(input.constitution !== undefined ? { constitution: input.constitution } : {}),
                  ...(input.dailyCap !== undefined ? { dailyCap: parseAmount(input.dailyCap, decimals) } : {}),
                  ...(input.perCallCap !== undefined ? { perCallCap: parseAmount(input.perCallCap, decimals) } : {}),
                  ...(input.runwayTargetHours !== undefined ? { runwayTargetHours: input.runwayTargetHours } : {}),
                };
        const block = await context.publicClient.getBlock();
        const proposal = await buildAgentProposal(context.publicClient, {
          tba: context.deployment.agent.tba,
          sessionKey: context.wallet.sessionKey,
          charter: governance.charter,
          now: Number(block.timestamp),
          ask,
          reasons: input.reasons,
        });
        const receipt = await context.guard.execute({ action: 'propose', ...proposal }, { reason: input.reasons, origin: 'llm' });
        const title = firstLine(proposal.description);
        return [`Filed proposal #${receipt.proposalId} to the community: ${title} (tx ${receipt.transactionHash}). Members vote on it; nothing changes unless it passes.`, jsonSafe(receipt)];
      }),
    {
      name: 'propose_to_community',
      description:
        "Asks the agent's community (its stakers, who vote) for something the charter does not allow yet: trusting a new compute provider, a larger budget or another runway target, a new constitution, or renewing the session key. Files an on-chain proposal with your reasons; it changes nothing until members vote it through. A few per week at most.",
      schema: proposeToCommunitySchema,
      responseFormat: 'content_and_artifact',
    },
  );
}
