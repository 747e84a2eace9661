import type { Address, Hex } from 'viem';

/** What a governor `propose` takes: the calls the timelock would make, and the text members read. */
export type ProposalContent = {
  targets: readonly Address[];
  values: readonly bigint[];
  calldatas: readonly Hex[];
  description: string;
};

/** The tag that opens the description of every proposal the agent files, by what it asks. */
export const agentProposalTag = {
  renewSession: '[y2c:renew-session]',
  trustProvider: '[y2c:trust-provider]',
  charter: '[y2c:charter]',
} as const;

/** What kind of proposal of the agent a description is (by its tag), if any. */
export function agentProposalKind(description: string): keyof typeof agentProposalTag | undefined {
  for (const [kind, tag] of Object.entries(agentProposalTag)) if (description.startsWith(tag)) return kind as keyof typeof agentProposalTag;
  return undefined;
}
