import OpenAI from 'openai';
import { createTokenQueue } from './createTokenQueue.js';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { CreateCostMeterReturnType } from '../brain/createCostMeter.js';
import type { RespondParameters, RespondResult, RespondReturnType, Responder } from './Responder.js';

/** Parameters of {@link createOpenAiResponder}. */
export type CreateOpenAiResponderParameters = {
  /** Base URL of an OpenAI-compatible API, including `/v1` (a y2c provider node's `url`). */
  baseUrl: string;
  /** Model id. */
  model: string;
  /** A `fetch` that pays (tools/compute/createPayingFetch), or the global one. */
  fetch?: typeof fetch;
  /** API key, when the endpoint wants one. */
  apiKey?: string;
  /** The system prompt (the agent's constitution). */
  system?: string;
  /** Completion cap per reply. */
  maxTokens?: number;
  /** How many earlier messages go into the prompt (default 20). */
  historyLimit?: number;
  /**
   * The cost meter whose store the paying fetch records into: the reply is then charged what its
   * paid call cost in every outcome (an aborted stream included), and refused past its budget.
   */
  meter?: Pick<CreateCostMeterReturnType, 'measureSettled'>;
};

/**
 * A {@link Responder} that streams a chat completion through the official `openai` client. With a
 * paying fetch against a y2c provider the reply's cost is the `y2c.cost` of the stream's last chunk
 * (see provider/README.md), or with a `meter` what the paid call cost in every outcome; otherwise 0.
 *
 * @param parameters Endpoint, model, fetch and prompt settings.
 * @returns `{ respond }`.
 * @example
 * const responder = createOpenAiResponder({ baseUrl: node.url, model: 'y2c-chat', fetch: payingFetch })
 */
export function createOpenAiResponder(parameters: CreateOpenAiResponderParameters): Responder {
  const client = new OpenAI({
    baseURL: parameters.baseUrl,
    apiKey: parameters.apiKey ?? 'unused',
    maxRetries: 0,
    ...(parameters.fetch ? { fetch: parameters.fetch } : {}),
  });
  const historyLimit = parameters.historyLimit ?? 20;

  const respond = ({ history, message, signal, budget }: RespondParameters): RespondReturnType => {
    const messages: ChatCompletionMessageParam[] = [];
    if (parameters.system) messages.push({ role: 'system', content: parameters.system });
    for (const earlier of history.slice(-historyLimit)) {
      if (earlier.role === 'user' || earlier.role === 'assistant') messages.push({ role: earlier.role, content: earlier.content });
    }
    messages.push({ role: 'user', content: message });

    // The request runs as its own task (inside the meter when given); the generator drains its pieces.
    const queue = createTokenQueue();
    const run = async (): Promise<RespondResult> => {
      const stream = await client.chat.completions.create(
        {
          model: parameters.model,
          messages,
          stream: true,
          stream_options: { include_usage: true },
          ...(parameters.maxTokens === undefined ? {} : { max_tokens: parameters.maxTokens }),
        },
        { signal },
      );
      let cost = 0n;
      let tokensIn: number | undefined;
      let tokensOut: number | undefined;
      for await (const chunk of stream) {
        const text = chunk.choices[0]?.delta.content;
        if (text) queue.push(text);
        // The provider's final figures ride on the usage chunk, outside the OpenAI types.
        const y2c = (chunk as { y2c?: { cost?: string } }).y2c;
        if (y2c?.cost !== undefined) cost = BigInt(y2c.cost);
        if (chunk.usage) {
          tokensIn = chunk.usage.prompt_tokens;
          tokensOut = chunk.usage.completion_tokens;
        }
      }
      return { costUnits: cost, ...(tokensIn === undefined ? {} : { tokensIn }), ...(tokensOut === undefined ? {} : { tokensOut }) };
    };
    const meter = parameters.meter;
    const settled = meter
      ? meter.measureSettled(run, { budget })
      : run().then(
          (result) => ({ ok: true as const, result, cost: result.costUnits }),
          (error: unknown) => ({ ok: false as const, error, cost: 0n }),
        );
    const final: Promise<RespondResult> = settled.then((outcome) => {
      if (!outcome.ok) {
        queue.fail(outcome.error);
        throw outcome.error;
      }
      queue.end();
      // Metered: what the paid calls cost as the paying fetch checked and recorded them.
      return { ...outcome.result, costUnits: meter ? outcome.cost : outcome.result.costUnits };
    });
    // The caller may never await `final` when streaming fails; keep that from becoming unhandled.
    final.catch(() => {});

    return { tokens: queue.tokens(), final, ...(meter ? { charged: settled.then((outcome) => outcome.cost) } : {}) };
  };
  return { respond };
}
