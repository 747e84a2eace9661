import { isAddressEqual } from 'viem';
import { agentGovernorAbi } from '../chain/abi/generated/agentGovernor.js';
import type { GuardedAction } from './createGuardedExecutor.js';
import { ProposalLimitError, ProposalNotAllowedError } from './errors.js';
import type { GuardContext } from './GuardContext.js';
import { maxProposalCalls, maxProposalDescription } from './guardLimits.js';

/**
 * A proposal of the agent: to its community only, 1 to 4 calls to its charter or its own account,
 * no value, with its reasons, within the charter's proposals per period (the governor's count plus
 * those in flight).
 *
 * @param context The guard.
 * @param action The proposal.
 * @throws {ProposalNotAllowedError} / {ProposalLimitError}.
 * @example await checkProposal(context, { action: 'propose', targets, values, calldatas, description });
 */
export async function checkProposal(context: GuardContext, action: Extract<GuardedAction, { action: 'propose' }>): Promise<void> {
  const { deployment, tba, policy, publicClient, memory } = context;
  const governance = deployment.governance;
  if (!governance) throw new ProposalNotAllowedError('The agent has no community to propose to: it is owned by a key.');
  const { targets, values, calldatas, description } = action;
  if (targets.length === 0 || targets.length > maxProposalCalls || values.length !== targets.length || calldatas.length !== targets.length) {
    throw new ProposalNotAllowedError(`A proposal carries 1 to ${maxProposalCalls} calls, each with a target, a value and calldata.`);
  }
  for (const [i, target] of targets.entries()) {
    if (!isAddressEqual(target, governance.charter) && !isAddressEqual(target, tba)) {
      throw new ProposalNotAllowedError(`The agent proposes calls to its charter or its own account only, not to ${target}.`);
    }
    if (values[i] !== 0n) throw new ProposalNotAllowedError('A proposal of the agent moves no ETH.');
  }
  if (description.trim().length === 0 || description.length > maxProposalDescription) {
    throw new ProposalNotAllowedError(`A proposal needs its reasons, at most ${maxProposalDescription} characters.`);
  }
  // The chain's own count for the charter period, plus proposals sent but not yet confirmed.
  const limit = policy.proposalsPerPeriod ?? 0;
  const filed = await publicClient.readContract({ address: governance.governor, abi: agentGovernorAbi, functionName: 'agentProposalsThisPeriod' });
  const pending = memory.ledger.listPending().filter((entry) => entry.kind === 'propose').length;
  if (filed + BigInt(pending) >= BigInt(limit)) {
    throw new ProposalLimitError(`The agent already filed ${filed + BigInt(pending)} proposal(s) this charter period; its charter allows ${limit}.`);
  }
}
