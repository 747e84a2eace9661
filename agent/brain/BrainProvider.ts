import type { Address } from 'viem';

/** A provider the brain may think with. */
export type BrainProvider = {
  address: Address;
  /** Base URL of its OpenAI-compatible API, ending in `/v1`. */
  baseUrl: string;
  /** Model id to ask for. */
  model: string;
};
