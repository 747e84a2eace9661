import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { encodeFunctionData, formatUnits, type Address, type Client, type PublicClient } from 'viem';
import { z } from 'zod';
import { agentGovernorAbi } from '../../chain/abi/generated/agentGovernor.js';
import { listProposals, proposalStates } from '../../chain/governance/listProposals.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import type { CreateChatServiceReturnType } from '../chat/createChatService.js';
import { ChatApiError, ChatBadRequestError, ChatNotFoundError } from '../chat/errors.js';
import { readTreasury } from '../chat/readTreasury.js';
import { jsonReplacer } from '../../core/jsonReplacer.js';
import { firstLine } from '../../core/firstLine.js';

/** What the MCP tools read and whom they answer for. */
export type CreateMcpServerParameters = {
  /** The chat service: the member's pass, quota and turns (ask_agent is a chat message). */
  chat: CreateChatServiceReturnType;
  /** Reads the chain. */
  client: Client;
  /** Chain id (for the vote transaction). */
  chainId: number;
  vault: Address;
  token: Address;
  tokenInfo: { symbol: string; decimals: number };
  /** The agent's token-bound account. */
  agent?: Address | undefined;
  memory: OpenAgentMemoryReturnType;
  /** The agent's governor (self-owned agents); without it list_proposals and vote say there is none. */
  governor?: Address | undefined;
  /** The authenticated member, or undefined: then only the public read tools are listed. */
  member?: Address | undefined;
};

/** Names of the tools an unauthenticated client sees. */
export const publicMcpTools = ['treasury_status', 'list_proposals'] as const;
/** Names of the tools a member (bearer session token or API key) also sees. */
export const memberMcpTools = ['member_info', 'ask_agent', 'vote'] as const;

/**
 * The agent's MCP server (one per connection or request): public reads (`treasury_status`,
 * `list_proposals`) for anyone, and for an authenticated member `member_info`, `ask_agent` (a chat
 * message: pass and quota checked, reply streamed as progress notifications, charged what it cost)
 * and `vote` (checks the proposal and the member's votes and returns the transaction for their own
 * wallet: the agent never votes for anyone and pays nothing). No tool moves the agent's funds.
 *
 * @param parameters Chat service, chain, memory, governor and the member (if any).
 * @returns An `McpServer` to connect to a transport.
 * @example
 * const server = createMcpServer({ chat, client, chainId, vault, token, tokenInfo, memory, governor, member });
 * await server.connect(new StdioServerTransport());
 */
export function createMcpServer(parameters: CreateMcpServerParameters): McpServer {
  const { chat, client, memory, member, tokenInfo } = parameters;
  const server = new McpServer({ name: 'y2c-agent', version: '0.1.0' }, { capabilities: { tools: {} } });
  const units = (amount: bigint | string) => `${formatUnits(BigInt(amount), tokenInfo.decimals)} ${tokenInfo.symbol}`;

  server.registerTool(
    'treasury_status',
    {
      title: 'Treasury status',
      description: "The agent's treasury: TVL, community principal, yield harvested and pending, compute bought and spent, burn per hour, runway. Amounts in token units as decimal strings.",
      inputSchema: {},
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () =>
      guarded(async () => {
        const treasury = await readTreasury({ client, vault: parameters.vault, token: parameters.token, agent: parameters.agent, memory });
        const { series: _series, ...summary } = treasury;
        const text = `TVL ${units(treasury.tvl)}, principal ${units(treasury.totalPrincipal)} from ${treasury.stakers} stakers; yield harvested ${units(treasury.yieldHarvested)}, pending ${units(treasury.pendingYield)}; compute bought ${units(treasury.computeBought)}, spent ${units(treasury.computeSpent)}; runway ${treasury.runwayHours === null ? 'unbounded' : `${treasury.runwayHours.toFixed(1)} h`}.`;
        return { content: [{ type: 'text', text }], structuredContent: jsonSafe(summary) };
      }),
  );

  server.registerTool(
    'list_proposals',
    {
      title: 'Governance proposals',
      description: "The community's proposals to the agent's governor, newest first, with state, tally and deadline (and, for a signed-in member, their voting power and whether they voted).",
      inputSchema: {
        state: z.enum(proposalStates).optional().describe('Only proposals in this state.'),
        limit: z.number().int().min(1).max(50).optional().describe('At most this many (default 10).'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ state, limit }) =>
      guarded(async () => {
        if (!parameters.governor) return { content: [{ type: 'text', text: 'This agent has no governor: it is owned by a single key (owner mode).' }], structuredContent: { proposals: [] } };
        const all = await listProposals(client as PublicClient, { governor: parameters.governor, ...(member ? { member } : {}) });
        const proposals = all.filter((proposal) => state === undefined || proposal.state === state).slice(0, limit ?? 10);
        const text = proposals.length === 0 ? 'No proposals.' : proposals.map((p) => `#${p.id} [${p.state}] ${firstLine(p.description, 120)} (for ${units(p.votes.for)}, against ${units(p.votes.against)})`).join('\n');
        return { content: [{ type: 'text', text }], structuredContent: jsonSafe({ proposals: proposals.map(({ calldatas: _c, ...rest }) => rest) }) };
      }),
  );

  if (!member) return server;

  server.registerTool(
    'member_info',
    {
      title: 'Your membership',
      description: 'Your address, whether you hold the pass, and your compute quota (yield earned by your stake, used, remaining).',
      inputSchema: {},
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () =>
      guarded(async () => {
        const status = await chat.status(member);
        const { quota } = status;
        const text = `${member}: pass ${status.pass.ok ? 'held' : `missing (${status.pass.reason})`}; quota ${units(quota.remaining)} left of ${units(quota.balance)} earned (${units(quota.used)} used), staked ${units(quota.staked)}.`;
        return { content: [{ type: 'text', text }], structuredContent: jsonSafe(status) };
      }),
  );

  server.registerTool(
    'ask_agent',
    {
      title: 'Ask the agent',
      description: "Ask the community agent a question, as a chat message: needs the pass, charged to your compute quota what the reply cost. The reply streams as progress notifications when the call carries a progress token.",
      inputSchema: {
        question: z.string().min(1).max(4000).describe('Your message to the agent.'),
        conversationId: z.number().int().positive().optional().describe('Continue this conversation of yours (from an earlier answer).'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    },
    ({ question, conversationId }, extra) =>
      guarded(async () => {
        const turn = await chat.prepareTurn(member, { content: question, ...(conversationId === undefined ? {} : { conversationId }) });
        const progressToken = extra._meta?.progressToken;
        let progress = 0;
        let sending = Promise.resolve();
        const result = await turn.run((piece) => {
          if (progressToken === undefined) return;
          progress++;
          // In order, and a client that stops listening does not fail the reply.
          sending = sending.then(() => extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress, message: piece } })).catch(() => undefined);
        }, extra.signal);
        await sending;
        return {
          content: [{ type: 'text', text: result.message.content }],
          structuredContent: jsonSafe({ conversationId: result.conversationId, messageId: result.message.id, costUnits: result.costUnits, quota: result.quota }),
        };
      }),
  );

  server.registerTool(
    'vote',
    {
      title: 'Vote on a proposal',
      description: "Prepares your vote on an active proposal: checks it is open and that you have votes, then returns the transaction for YOUR wallet to sign and send (the agent never votes for you and pays nothing). `y2c gov vote` sends it from the CLI.",
      inputSchema: {
        proposalId: z.string().regex(/^\d{1,78}$/).describe('The proposal id (decimal), from list_proposals.'),
        support: z.enum(['against', 'for', 'abstain']).describe('Your vote.'),
        reason: z.string().max(500).optional().describe('Why (recorded on chain).'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ proposalId, support, reason }) =>
      guarded(async () => {
        const governor = parameters.governor;
        if (!governor) throw new ChatNotFoundError('This agent has no governor: it is owned by a single key (owner mode).');
        const id = BigInt(proposalId);
        const proposal = (await listProposals(client as PublicClient, { governor, member })).find((candidate) => candidate.id === id);
        if (!proposal) throw new ChatNotFoundError(`No proposal ${proposalId.slice(0, 80)}.`);
        if (proposal.state !== 'active') throw new ChatBadRequestError(`Proposal ${proposalId} is ${proposal.state}, not active: votes are not taken.`);
        if (proposal.member?.hasVoted) throw new ChatBadRequestError(`You already voted on proposal ${proposalId}.`);
        if (!proposal.member || proposal.member.votingPower === 0n) throw new ChatBadRequestError(`You had no votes at proposal ${proposalId}'s snapshot (stake before a proposal to vote on it).`);
        const supportIndex = ({ against: 0, for: 1, abstain: 2 } as const)[support];
        const data = encodeFunctionData({ abi: agentGovernorAbi, functionName: 'castVoteWithReason', args: [id, supportIndex, reason ?? ''] });
        const transaction = { from: member, to: governor, data, value: '0', chainId: parameters.chainId };
        const text = `Send this from ${member} to cast ${units(proposal.member.votingPower)} of votes "${support}" on #${proposalId}: to ${governor}, data ${data}.`;
        return { content: [{ type: 'text', text }], structuredContent: jsonSafe({ proposalId, support, votingPower: proposal.member.votingPower, transaction }) };
      }),
  );
  return server;
}

/** Runs a tool; a refusal becomes an error result the client can read (code, message, details). */
async function guarded(run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ChatApiError) {
      const body = { code: error.code, status: error.status, message: error.shortMessage, ...(error.details ? { details: error.details } : {}), ...error.body };
      return { isError: true, content: [{ type: 'text', text: `${error.code}: ${error.shortMessage}${error.details ? ` ${error.details}` : ''}` }], structuredContent: jsonSafe({ error: body }) };
    }
    throw error;
  }
}

/** bigints → decimal strings. */
function jsonSafe(value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value, jsonReplacer)) as Record<string, unknown>;
}
