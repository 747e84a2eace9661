import type { BackendUsage, ChatCompletionChunk } from '../backends/Backend.js';

/** What a stream has passed through so far, to meter and close it. */
export type StreamTally = {
  /** The usage the upstream reported, if it did. */
  usage: BackendUsage | undefined;
  /** The usage-only chunk, held back to go out last with the final figures. */
  usageChunk: ChatCompletionChunk | undefined;
  /** The last chunk written. */
  last: ChatCompletionChunk | undefined;
  /** Content or tool-call pieces written (one token each when the upstream reports no usage). */
  pieces: number;
  /** Incremental keccak256 of every byte written (when receipts are signed). */
  hasher: { update: (text: string) => void; digest: () => `0x${string}` } | undefined;
};
