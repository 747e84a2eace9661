import { z } from 'zod';
import { ChatBadRequestError } from '../chat/errors.js';

const text = z.string().max(64_000);
const part = z.object({ type: z.literal('text'), text }).strict();
const content = z.union([text, z.array(part).max(64)]);
const toolCall = z
  .object({ id: z.string().max(200), type: z.literal('function'), function: z.object({ name: z.string().max(200), arguments: z.string().max(64_000) }).strict() })
  .strict();
const message = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content, name: z.string().max(64).optional() }).strict(),
  z.object({ role: z.literal('developer'), content, name: z.string().max(64).optional() }).strict(),
  z.object({ role: z.literal('user'), content, name: z.string().max(64).optional() }).strict(),
  z
    .object({ role: z.literal('assistant'), content: content.nullable().optional(), name: z.string().max(64).optional(), tool_calls: z.array(toolCall).max(64).optional() })
    .strict(),
  z.object({ role: z.literal('tool'), content, tool_call_id: z.string().max(200) }).strict(),
]);
const tokens = z.number().int().positive().max(1_000_000);

/**
 * The chat-completion requests the member API forwards: the OpenAI fields a y2c provider prices
 * and serves. Anything else is refused rather than passed on (`n > 1`, logprobs, audio…: a field the
 * provider's price does not cover must not reach it).
 */
export const completionRequestSchema = z
  .object({
    model: z.string().min(1).max(200),
    messages: z.array(message).min(1).max(1000),
    stream: z.boolean().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).strict().nullable().optional(),
    max_tokens: tokens.nullable().optional(),
    max_completion_tokens: tokens.nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    top_p: z.number().min(0).max(1).nullable().optional(),
    presence_penalty: z.number().min(-2).max(2).nullable().optional(),
    frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
    seed: z.number().int().nullable().optional(),
    stop: z.union([z.string().max(200), z.array(z.string().max(200)).max(4)]).nullable().optional(),
    n: z.literal(1).nullable().optional(),
    user: z.string().max(200).optional(),
    tools: z
      .array(z.object({ type: z.literal('function'), function: z.object({ name: z.string().max(64), description: z.string().max(4000).optional(), parameters: z.record(z.string(), z.unknown()).optional(), strict: z.boolean().nullable().optional() }).strict() }).strict())
      .max(64)
      .optional(),
    tool_choice: z.union([z.enum(['none', 'auto', 'required']), z.object({ type: z.literal('function'), function: z.object({ name: z.string() }).strict() }).strict()]).optional(),
  })
  .strict();

/** A checked chat-completion request. */
export type CompletionRequest = z.infer<typeof completionRequestSchema>;

/**
 * Checks a member's chat-completion body.
 *
 * @param body The parsed JSON body.
 * @returns The request, typed.
 * @throws {ChatBadRequestError} Naming the first bad field and what it must be.
 * @example const request = parseCompletionRequest(await readJson(req))
 */
export function parseCompletionRequest(body: unknown): CompletionRequest {
  const parsed = completionRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'body';
  throw new ChatBadRequestError(`Bad chat-completion request: ${where}: ${issue?.message ?? 'invalid'}.`, {
    details: 'Send an OpenAI chat-completions body: { model, messages: [{ role, content }], stream?, max_tokens? }; n must be 1.',
    body: { param: where, type: 'invalid_request_error' },
  });
}
