import { AgentError } from '../core/AgentError.js';
import { firstLine } from '../core/firstLine.js';

/** A tool's answer: short text for the model, a structured receipt for the ledger and the app. */
export type ToolResult<T> = [content: string, artifact: T | { error: string; message: string }];

/**
 * The tool adapter: runs a tool's body and turns a thrown error into text the model can read
 * (the only place errors become text). AgentErrors give their short message, others their first
 * line; either way one line of at most 200 characters, absolute paths and stack frames removed.
 *
 * @param body The tool's work, returning `[content, artifact]`.
 * @returns The result, or the refusal as text with `{ error, message }` as artifact.
 * @example return toToolResult(async () => [`harvested ${amount}`, receipt])
 */
export async function toToolResult<T>(body: () => Promise<[string, T]>): Promise<ToolResult<T>> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof AgentError) {
      const message = shortLine(error.shortMessage);
      return [`Refused: ${message} (${error.name})`, { error: error.name, message }];
    }
    const message = shortLine(error instanceof Error ? error.message : String(error));
    return [`Failed: ${message}`, { error: error instanceof Error ? error.name : 'Error', message }];
  }
}

/** One line of at most 200 characters, with absolute paths and `node:` frames replaced: no stack, no layout of the host. */
function shortLine(text: string): string {
  const line = firstLine(text).trim() || 'unknown error';
  const cleaned = line
    .replace(/(?:file:\/\/)?(?:[A-Za-z]:)?(?:[\\/][\w.@+-]+){2,}[\\/]?(?::\d+){0,2}/g, '<path>')
    .replace(/\bnode:[\w/]+(?::\d+){0,2}/g, '<internal>');
  return cleaned.length > 200 ? `${cleaned.slice(0, 199)}…` : cleaned;
}
