import type { Address } from 'viem';

/** A provider the brain may think with. */
export type BrainProvider = {
  address: Address;
  /** Base URL of its OpenAI-compatible API, ending in `/v1`. */
  baseUrl: string;
  /** Model id to ask for. */
  model: string;
  /** The model's context window in tokens, when the provider advertises it. */
  contextLength?: number | undefined;
  /** Whether the model takes tool definitions (default true). */
  tools?: boolean | undefined;
};
