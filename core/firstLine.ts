/**
 * The first line of an error's message (or of a text), for logs and ledgers that keep one line:
 * an {@link AgentError}'s message carries details and a docs link on the lines after it.
 *
 * @param error An error, a text, or anything thrown.
 * @param maxLength Cut the line to this many characters (default: no cut).
 * @returns The first line; for an error with an empty message, its name.
 * @example firstLine(new AgentError('Cannot pay.', { details: 'deposit 0' })) // 'Cannot pay.'
 */
export function firstLine(error: unknown, maxLength?: number): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n')[0] || (error instanceof Error ? error.name : '');
  return maxLength === undefined ? line : line.slice(0, maxLength);
}
