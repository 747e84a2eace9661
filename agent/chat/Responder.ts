import type { Address } from 'viem';
import type { Message } from '../../memory/createConversationsStore.js';

/** What the chat hands the agent's brain for one member message. */
export type RespondParameters = {
  /** The member's address (pass and quota already checked). */
  member: Address;
  /** The conversation the message belongs to. */
  conversationId: number;
  /** Earlier messages of the conversation, oldest first (the new message not included). */
  history: readonly Message[];
  /** The member's new message. */
  message: string;
  /** Aborted when the member disconnects or the server stops. */
  signal: AbortSignal;
  /** The most the reply may cost (what the chat reserved on the member's quota); paid calls past it are refused. */
  budget?: bigint;
};

/** The outcome of a reply, once its tokens are all out. */
export type RespondResult = {
  /** Payment token units the reply cost (charged to the member's quota). */
  costUnits: bigint;
  /** Tokens in, when known. */
  tokensIn?: number;
  /** Tokens out, when known. */
  tokensOut?: number;
};

/** A streamed reply: text pieces as they come, then the final cost. */
export type RespondReturnType = {
  /** Reply text in pieces (tokens), in order. */
  tokens: AsyncIterable<string>;
  /** Settles after `tokens` ends with what the reply cost. */
  final: Promise<RespondResult>;
  /**
   * What the reply's paid calls cost in every outcome (done, aborted, failed), once they are all
   * settled with the provider; never rejects. Without it the chat charges `final`'s cost, or nothing.
   */
  charged?: Promise<bigint>;
};

/**
 * The agent's replying part, injected into the chat server: the brain (a LangChain agent over a
 * paying fetch) in the daemon, {@link createOpenAiResponder} against any OpenAI-compatible endpoint.
 */
export type Responder = {
  respond: (parameters: RespondParameters) => RespondReturnType;
};
