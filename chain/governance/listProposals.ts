import type { Address, Hex, PublicClient } from 'viem';
import { agentGovernorAbi } from '../abi/generated/agentGovernor.js';

/** The governor's proposal states, by their index in IGovernor.ProposalState. */
export const proposalStates = ['pending', 'active', 'canceled', 'defeated', 'succeeded', 'queued', 'expired', 'executed'] as const;

/** A proposal, with what a member needs to act on it. */
export type ProposalView = {
  id: bigint;
  proposer: Address;
  description: string;
  targets: readonly Address[];
  values: readonly bigint[];
  calldatas: readonly Hex[];
  state: (typeof proposalStates)[number];
  votes: { against: bigint; for: bigint; abstain: bigint };
  /** Timepoint (unix seconds) at which voting power is read. */
  snapshot: bigint;
  /** End of voting (unix seconds), extended when quorum comes late. */
  deadline: bigint;
  /** When a queued proposal can execute (0 before queueing). */
  eta: bigint;
  /** Votes needed, at the snapshot. */
  quorum: bigint;
  /** For the member asked about: their votes at the snapshot and whether they voted. */
  member?: { address: Address; votingPower: bigint; hasVoted: boolean };
};

/**
 * Every proposal the governor ever received (from its `ProposalCreated` events), newest first,
 * with its state, tally, deadline and quorum.
 *
 * @param publicClient Client of the chain.
 * @param parameters The governor, and a member to report voting power for.
 * @returns The proposals.
 */
export async function listProposals(publicClient: PublicClient, parameters: { governor: Address; member?: Address }): Promise<ProposalView[]> {
  const { governor, member } = parameters;
  const read = publicClient.readContract;
  const [logs, now] = await Promise.all([
    publicClient.getContractEvents({ address: governor, abi: agentGovernorAbi, eventName: 'ProposalCreated', fromBlock: 0n, toBlock: 'latest' }),
    read({ address: governor, abi: agentGovernorAbi, functionName: 'clock' }),
  ]);
  const views = await Promise.all(
    logs.map(async (log): Promise<ProposalView> => {
      const args = log.args as { proposalId: bigint; proposer: Address; targets: Address[]; values: bigint[]; calldatas: Hex[]; description: string; voteStart: bigint };
      const id = args.proposalId;
      const [state, [against, forVotes, abstain], deadline, eta] = await Promise.all([
        read({ address: governor, abi: agentGovernorAbi, functionName: 'state', args: [id] }),
        read({ address: governor, abi: agentGovernorAbi, functionName: 'proposalVotes', args: [id] }),
        read({ address: governor, abi: agentGovernorAbi, functionName: 'proposalDeadline', args: [id] }),
        read({ address: governor, abi: agentGovernorAbi, functionName: 'proposalEta', args: [id] }),
      ]);
      const snapshot = args.voteStart;
      // Quorum and past votes exist only for timepoints already past.
      const past = snapshot < BigInt(now);
      const quorum = past ? await read({ address: governor, abi: agentGovernorAbi, functionName: 'quorum', args: [snapshot] }) : 0n;
      const memberView = member
        ? {
            address: member,
            votingPower: past ? await read({ address: governor, abi: agentGovernorAbi, functionName: 'getVotes', args: [member, snapshot] }) : 0n,
            hasVoted: await read({ address: governor, abi: agentGovernorAbi, functionName: 'hasVoted', args: [id, member] }),
          }
        : undefined;
      return {
        id,
        proposer: args.proposer,
        description: args.description,
        targets: args.targets,
        values: args.values,
        calldatas: args.calldatas,
        state: proposalStates[state] ?? 'pending',
        votes: { against, for: forVotes, abstain },
        snapshot,
        deadline,
        eta,
        quorum,
        ...(memberView ? { member: memberView } : {}),
      };
    }),
  );
  return views.reverse();
}
