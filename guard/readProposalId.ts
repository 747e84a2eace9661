import { isAddressEqual, parseEventLogs, type Address } from 'viem';
import { agentGovernorAbi } from '../chain/abi/generated/agentGovernor.js';
import type { ReadOutcomeParameters } from './readOutcome.js';

/**
 * The id of the proposal the agent's account filed, from the governor's `ProposalCreated` log.
 *
 * @param parameters The receipt's logs, the governor and the account.
 * @returns The proposal id, if the logs hold one.
 * @example readProposalId({ logs: receipt.logs, governor, tba })
 */
export function readProposalId(parameters: { logs: ReadOutcomeParameters['logs']; governor: Address; tba: Address }): bigint | undefined {
  const created = parseEventLogs({ abi: agentGovernorAbi, logs: parameters.logs, eventName: 'ProposalCreated' }).find(
    (log) => isAddressEqual(log.address, parameters.governor) && isAddressEqual(log.args.proposer, parameters.tba),
  );
  return created?.args.proposalId;
}
