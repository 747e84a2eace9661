import type { Address, Client, PublicClient } from 'viem';
import { agentGovernorAbi } from '../../chain/abi/generated/agentGovernor.js';
import { listProposals, type ProposalView } from '../../chain/governance/listProposals.js';
import { readCharter, type CharterState } from '../../chain/governance/readCharter.js';

/** Parameters of {@link readGovernance}. */
export type ReadGovernanceParameters = {
  client: Client;
  governance: { governor: Address; charter: Address; timelock: Address };
  /** Report this member's voting power and vote on each proposal. */
  member?: Address | undefined;
};

/** What the page's Governance tab shows. */
export type ReadGovernanceReturnType = {
  governance: { governor: Address; charter: Address; timelock: Address };
  charter: CharterState;
  /** Every version, oldest first. */
  history: CharterState[];
  /** Newest first. */
  proposals: ProposalView[];
  settings: { votingDelay: bigint; votingPeriod: bigint; proposalThreshold: bigint };
  /** Chain time (the governor's ERC-6372 clock), unix seconds. */
  now: bigint;
  /** The member's current votes, when asked. */
  member?: { address: Address; votes: bigint };
};

/**
 * The community's view of its agent: the charter (current and history), every proposal with its
 * state, tally, deadline, quorum and the member's voting power at its snapshot, and the governor's
 * settings. Read from the chain per request (the Governance tab, never the chat path).
 *
 * @param parameters Chain client, governance addresses, and the member.
 * @returns The view.
 * @example const view = await readGovernance({ client, governance: deployment.governance, member })
 */
export async function readGovernance(parameters: ReadGovernanceParameters): Promise<ReadGovernanceReturnType> {
  const publicClient = parameters.client as PublicClient;
  const { governance, member } = parameters;
  const read = (functionName: 'votingDelay' | 'votingPeriod' | 'proposalThreshold') => publicClient.readContract({ address: governance.governor, abi: agentGovernorAbi, functionName });
  const [{ current, history }, proposals, votingDelay, votingPeriod, proposalThreshold, now] = await Promise.all([
    readCharter(publicClient, { charter: governance.charter, history: true }),
    listProposals(publicClient, { governor: governance.governor, ...(member ? { member } : {}) }),
    read('votingDelay'),
    read('votingPeriod'),
    read('proposalThreshold'),
    publicClient.readContract({ address: governance.governor, abi: agentGovernorAbi, functionName: 'clock' }),
  ]);
  const votes = member ? await publicClient.readContract({ address: governance.governor, abi: agentGovernorAbi, functionName: 'getVotes', args: [member, BigInt(now) - 1n] }) : undefined;
  return {
    governance,
    charter: current,
    history,
    proposals,
    settings: { votingDelay: BigInt(votingDelay), votingPeriod: BigInt(votingPeriod), proposalThreshold },
    now: BigInt(now),
    ...(member && votes !== undefined ? { member: { address: member, votes } } : {}),
  };
}
