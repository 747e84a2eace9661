import { encodeFunctionData, getAddress, isAddressEqual, type Address, type PublicClient } from 'viem';
import { charterAbi } from '../abi/generated/charter.js';
import { AgentError } from '../../core/AgentError.js';
import { agentProposalTag, type ProposalContent } from './ProposalContent.js';
import { readCharter } from './readCharter.js';
import { sessionGrantProposal } from './sessionGrantProposal.js';

/** What the agent asks its community for. */
export type AgentAsk =
  /** A fresh session window before the current one ends. */
  | { kind: 'renewSession' }
  /** Trust (and let the session pay) a provider its charter does not list. */
  | { kind: 'trustProvider'; provider: Address }
  /** A charter change: any of the constitution, caps and runway target. */
  | { kind: 'charter'; constitution?: string; perCallCap?: bigint; dailyCap?: bigint; runwayTargetHours?: number };

/** The ask makes no change, or one the charter cannot hold. */
export class InvalidAskError extends AgentError {
  override name = 'InvalidAskError' as const;
}

/** Parameters of {@link buildAgentProposal}. */
export type BuildAgentProposalParameters = {
  tba: Address;
  sessionKey: Address;
  charter: Address;
  /** Chain time (unix seconds). */
  now: number;
  ask: AgentAsk;
  /** Why, in the agent's words (what members read under the proposal's title). */
  reasons: string;
};

/**
 * Turns what the agent wants into a proposal its community can vote on: a session renewal
 * (re-grant, fresh window), a new trusted provider (the charter's list and the session's
 * counterparties, both walls, in one proposal) or a charter change (the current charter with the
 * asked changes). The description opens with a tag naming the kind (so the treasury does not ask
 * twice), then a title and the reasons.
 *
 * @param publicClient Client of the chain.
 * @param parameters Account, key, charter, chain time, the ask and its reasons.
 * @returns The proposal's content.
 * @throws {InvalidAskError} When the ask changes nothing or breaks the charter's rules.
 */
export async function buildAgentProposal(publicClient: PublicClient, parameters: BuildAgentProposalParameters): Promise<ProposalContent> {
  const { tba, sessionKey, charter, now, ask } = parameters;
  const reasons = parameters.reasons.trim();
  const describe = (tag: string, title: string) => `${tag} ${title}\n\n${reasons}`;
  if (ask.kind === 'renewSession') {
    return sessionGrantProposal(publicClient, { tba, sessionKey, charter, now, renew: true, description: describe(agentProposalTag.renewSession, 'Renew the agent\'s session key') });
  }
  const { current } = await readCharter(publicClient, { charter });
  if (ask.kind === 'trustProvider') {
    const provider = getAddress(ask.provider);
    if (current.limits.trustedProviders.some((known) => isAddressEqual(known, provider))) throw new InvalidAskError(`Provider ${provider} is already trusted by the charter.`);
    const limits = { ...current.limits, trustedProviders: [...current.limits.trustedProviders, provider] };
    const grant = await sessionGrantProposal(publicClient, { tba, sessionKey, charter, now, addCounterparties: [provider], description: '' });
    return {
      targets: [charter, ...grant.targets],
      values: [0n, ...grant.values],
      calldatas: [encodeFunctionData({ abi: charterAbi, functionName: 'update', args: [current.constitution, limits] }), ...grant.calldatas],
      description: describe(agentProposalTag.trustProvider, `Trust compute provider ${provider}`),
    };
  }
  const limits = {
    ...current.limits,
    ...(ask.perCallCap !== undefined ? { perCallCap: ask.perCallCap } : {}),
    ...(ask.dailyCap !== undefined ? { dailyCap: ask.dailyCap } : {}),
    ...(ask.runwayTargetHours !== undefined ? { runwayTargetHours: ask.runwayTargetHours } : {}),
  };
  const constitution = ask.constitution ?? current.constitution;
  const changed = [
    constitution !== current.constitution ? 'constitution' : undefined,
    limits.perCallCap !== current.limits.perCallCap ? `per-call cap ${limits.perCallCap}` : undefined,
    limits.dailyCap !== current.limits.dailyCap ? `daily cap ${limits.dailyCap}` : undefined,
    limits.runwayTargetHours !== current.limits.runwayTargetHours ? `runway target ${limits.runwayTargetHours} h` : undefined,
  ].filter((item): item is string => item !== undefined);
  if (changed.length === 0) throw new InvalidAskError('The proposal would change nothing in the charter.');
  if (limits.perCallCap > limits.dailyCap) throw new InvalidAskError('The per-call cap cannot exceed the daily cap.');
  if (!Number.isInteger(limits.runwayTargetHours) || limits.runwayTargetHours <= 0) throw new InvalidAskError('The runway target is a whole number of hours above 0.');
  return {
    targets: [charter],
    values: [0n],
    calldatas: [encodeFunctionData({ abi: charterAbi, functionName: 'update', args: [constitution, limits] })],
    description: describe(agentProposalTag.charter, `Charter change: ${changed.join(', ')}`),
  };
}
