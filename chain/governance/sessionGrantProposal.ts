import { encodeFunctionData, getAddress, isAddressEqual, type Address, type PublicClient } from 'viem';
import { agentAccountAbi } from '../abi/generated/agentAccount.js';
import { AgentError } from '../../core/AgentError.js';
import type { SessionPolicy } from '../wallet/agentSessionPolicy.js';
import { readCharter } from './readCharter.js';
import type { ProposalContent } from './ProposalContent.js';

/** The session key has no session to renew or widen. */
export class NoSessionError extends AgentError {
  override name = 'NoSessionError' as const;
}

/** Parameters of {@link sessionGrantProposal}. */
export type SessionGrantProposalParameters = {
  tba: Address;
  sessionKey: Address;
  charter: Address;
  /** Chain time now (unix seconds): a renewed window starts here. */
  now: number;
  /** Renew the window: the same length as the current one from `now`, within the charter's maximum. */
  renew?: boolean;
  /** Providers to add to the session's counterparties (so `open` may pay them). */
  addCounterparties?: readonly Address[];
  /** The proposal's text (its tag and reasons). */
  description: string;
};

/**
 * A proposal that re-grants the agent's session key its current policy (read from the account),
 * renewed (the end moved to `now` plus the window's length, within the charter) and/or with more
 * counterparties. Re-granting also refills the user-operation gas
 * allowance. The window stays inside the charter's `maxSessionDuration`, which the governor checks
 * at proposal and again at execution; the scope (targets, budgets) is unchanged.
 *
 * @param publicClient Client of the chain.
 * @param parameters Account, key, charter, time and what to change.
 * @returns The proposal's content (one call: `grantSession` on the account).
 * @throws {NoSessionError} When the key holds no session.
 */
export async function sessionGrantProposal(publicClient: PublicClient, parameters: SessionGrantProposalParameters): Promise<ProposalContent & { policy: SessionPolicy }> {
  const { tba, sessionKey, now } = parameters;
  const [[current, grantedBy], { current: charter }] = await Promise.all([
    publicClient.readContract({ address: tba, abi: agentAccountAbi, functionName: 'getSession', args: [sessionKey] }),
    readCharter(publicClient, { charter: parameters.charter }),
  ]);
  if (grantedBy === '0x0000000000000000000000000000000000000000') throw new NoSessionError(`Key ${sessionKey} holds no session on ${tba}.`);
  const { validAfter } = current;
  let { validUntil } = current;
  if (parameters.renew) {
    // The window's start stays: a start moved to chain time (which a devnet warp puts ahead of the
    // wall clock) would make bundlers that check time ranges by their own clock refuse the key.
    const lifetime = Math.max(86_400, validUntil - validAfter);
    validUntil = now + Math.min(lifetime, charter.limits.maxSessionDuration);
  }
  const counterparties = [...current.counterparties];
  for (const address of parameters.addCounterparties ?? []) if (!counterparties.some((known) => isAddressEqual(known, address))) counterparties.push(getAddress(address));
  const policy: SessionPolicy = { ...current, validAfter, validUntil, counterparties };
  return {
    targets: [tba],
    values: [0n],
    calldatas: [encodeFunctionData({ abi: agentAccountAbi, functionName: 'grantSession', args: [sessionKey, policy] })],
    description: parameters.description,
    policy,
  };
}
