/** Seconds in a day: the deposit budget's rolling window and the default longest x402 withdraw delay. */
export const day = 86_400;
/** The longest registration URI or feedback string the agent writes on chain (gas is value). */
export const maxIdentityBytes = 4_096;
/** Longest proposal text the agent may file (calldata is gas, and members must read it). */
export const maxProposalDescription = 4_000;
/** Most calls one proposal of the agent may carry. */
export const maxProposalCalls = 4;
