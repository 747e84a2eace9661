import type { z } from 'zod';
import { ProtocolError } from './ProtocolError.js';

/**
 * Reads one protocol message with its schema: the parsed value (decimal strings as bigints,
 * addresses checksummed), or a {@link ProtocolError} naming every field that is wrong.
 *
 * @param schema The message's schema (see protocol/schemas.ts).
 * @param name The message's name, for the error.
 * @param value What came over the wire (parsed JSON).
 * @returns The parsed message.
 * @throws {ProtocolError} With the zod issues as `path: message` lines.
 * @example const info = parseMessage(providerInfoSchema, 'ProviderInfo', await response.json());
 */
export function parseMessage<Schema extends z.ZodType>(schema: Schema, name: string, value: unknown): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(body)'}: ${issue.message}`);
  throw new ProtocolError(name, issues);
}
