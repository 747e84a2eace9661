import { ChatOpenAI } from '@langchain/openai';
import { createAgent } from 'langchain';
import type { BaseMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import type { Logger } from '../scheduler/Logger.js';
import type { BrainProvider } from './BrainProvider.js';
import { buildSystemPrompt } from './buildSystemPrompt.js';
import { findAgentError } from './findAgentError.js';

/** Parameters of {@link createBrain}. */
export type CreateBrainParameters = {
  /** Providers to think with, best first (re-read on every question). */
  providers: () => Promise<BrainProvider[]>;
  /** The tools the model may call. */
  tools: readonly StructuredToolInterface[];
  /** The constitution (config). */
  constitution: string;
  /** A live treasury summary for the system prompt. */
  treasurySummary: () => Promise<string>;
  /** The paying fetch (vouchers); global fetch when undefined. */
  fetch?: typeof fetch;
  /** Called when the agent ran out of compute (e.g. run the treasury job now). */
  onOutOfCompute?: () => void;
  /** Most model turns per question (default 8). */
  maxTurns?: number;
  log: Logger;
};

/** A message in or out of the brain. */
export type BrainMessage = { role: 'user' | 'assistant'; content: string };

/** The answer to one question. */
export type BrainAnswer = {
  /** What to show: the model's reply, or a plain sentence saying why there is none. */
  text: string;
  /** Who answered, when someone did. */
  provider: BrainProvider | undefined;
  /** Why there was no model answer. */
  failure: 'out_of_compute' | 'no_provider' | 'refused' | undefined;
  /** Tool calls made, by name. */
  toolCalls: string[];
};

/** The brain. */
export type Brain = {
  /** Answers a conversation (the last message is the question). Never throws for provider trouble. */
  ask: (messages: readonly BrainMessage[], options?: { signal?: AbortSignal }) => Promise<BrainAnswer>;
};

const failoverErrors = new Set(['OutOfComputeError', 'ProviderInfoError', 'ProviderUntrustedError']);
const plainErrors = new Set(['PerRequestCapExceededError', 'DailyCapExceededError', 'UnpriceableRequestError']);

/**
 * The agent's brain: a LangChain agent (`createAgent`) whose model is `ChatOpenAI` pointed at a
 * compute provider (`baseURL` its `/v1`, `configuration.fetch` the paying fetch), with y2c's tools and
 * a system prompt of the constitution plus a live treasury summary. When a provider is down or
 * cannot be paid it fails over to the next; when no channel can pay, it says so plainly (and calls
 * `onOutOfCompute` so the treasury buys more) instead of throwing.
 *
 * @param parameters Providers, tools, prompt parts, fetch and log.
 * @returns `ask`.
 * @example const answer = await brain.ask([{ role: 'user', content: 'how is the treasury?' }])
 */
export function createBrain(parameters: CreateBrainParameters): Brain {
  const { log } = parameters;
  return {
    ask: async (messages, options = {}) => {
      const providers = await parameters.providers();
      const systemPrompt = buildSystemPrompt({ constitution: parameters.constitution, treasury: await parameters.treasurySummary() });
      let outOfCompute = false;
      const reasons: string[] = [];
      for (const provider of providers) {
        const model = new ChatOpenAI({
          model: provider.model,
          apiKey: 'y2c-pays-with-vouchers',
          maxRetries: 0,
          configuration: { baseURL: provider.baseUrl, ...(parameters.fetch ? { fetch: parameters.fetch } : {}) },
        });
        const agent = createAgent({ model, tools: [...parameters.tools], systemPrompt });
        try {
          const result = await agent.invoke(
            { messages: messages.map((message) => ({ role: message.role, content: message.content })) },
            { recursionLimit: 2 * (parameters.maxTurns ?? 8) + 1, ...(options.signal ? { signal: options.signal } : {}) },
          );
          const all = result.messages as BaseMessage[];
          const last = all[all.length - 1];
          const toolCalls = all.flatMap((message) => ((message as { tool_calls?: { name: string }[] }).tool_calls ?? []).map((call) => call.name));
          log.info('brain answered', { provider: provider.address, turns: all.length, toolCalls });
          return { text: typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? ''), provider, failure: undefined, toolCalls };
        } catch (error) {
          if (options.signal?.aborted) throw error;
          const refusal = findAgentError(error);
          if (refusal && plainErrors.has(refusal.name)) {
            log.warn('brain refused to pay', { provider: provider.address, error: refusal.name });
            return { text: `I can't answer that right now: ${refusal.shortMessage}`, provider: undefined, failure: 'refused', toolCalls: [] };
          }
          if (refusal?.name === 'OutOfComputeError') outOfCompute = true;
          const reason = refusal ? `${refusal.name}: ${refusal.shortMessage}` : error instanceof Error ? error.message.split('\n')[0] ?? error.name : String(error);
          if (refusal && !failoverErrors.has(refusal.name)) log.warn('brain provider failed', { provider: provider.address, error: reason });
          else log.warn('brain failing over', { provider: provider.address, error: reason });
          reasons.push(`${provider.address}: ${reason}`);
        }
      }
      if (outOfCompute) {
        parameters.onOutOfCompute?.();
        return {
          text: 'I am out of compute: none of my payment channels can pay for another answer. My treasury buys more from the yield on its next run; please ask again in a few minutes.',
          provider: undefined,
          failure: 'out_of_compute',
          toolCalls: [],
        };
      }
      return {
        text: `I can't think right now: no compute provider answered${reasons.length ? ` (${reasons.join('; ')})` : ' (none is trusted and active)'}.`,
        provider: undefined,
        failure: 'no_provider',
        toolCalls: [],
      };
    },
  };
}
