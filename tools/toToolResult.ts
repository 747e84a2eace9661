import { AgentError } from '../config/AgentError.js';

/** A tool's answer: short text for the model, a structured receipt for the ledger and the app. */
export type ToolResult<T> = [content: string, artifact: T | { error: string; message: string }];

/**
 * The tool adapter: runs a tool's body and turns a thrown error into text the model can read
 * (the only place errors become text). AgentErrors give their short message; others a generic line.
 *
 * @param body The tool's work, returning `[content, artifact]`.
 * @returns The result, or the refusal as text with `{ error, message }` as artifact.
 * @example return toToolResult(async () => [`harvested ${amount}`, receipt])
 */
export async function toToolResult<T>(body: () => Promise<[string, T]>): Promise<ToolResult<T>> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof AgentError) return [`Refused: ${error.shortMessage} (${error.name})`, { error: error.name, message: error.shortMessage }];
    const message = error instanceof Error ? error.message.split('\n')[0] ?? 'unknown error' : String(error);
    return [`Failed: ${message}`, { error: error instanceof Error ? error.name : 'Error', message }];
  }
}
