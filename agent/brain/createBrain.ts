import { ChatOpenAI } from '@langchain/openai';
import { createAgent } from 'langchain';
import { AIMessage, AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import type { Logger } from '../../core/Logger.js';
import type { BrainProvider } from './BrainProvider.js';
import { buildSystemPrompt } from './buildSystemPrompt.js';
import { fitConversation } from './fitConversation.js';
import { firstLine } from '../../core/firstLine.js';
import { DailyCapExceededError, PerRequestCapExceededError, ProviderInfoError, ProviderUntrustedError, UnpriceableRequestError } from '../../tools/compute/errors.js';
import { ComputeBudgetExceededError, OutOfComputeError } from './errors.js';
import { findAgentError } from './findAgentError.js';

/** Parameters of {@link createBrain}. */
export type CreateBrainParameters = {
  /** Providers to think with, best first (asked on every question: give a cached view, e.g. createProviderDirectory). */
  providers: () => Promise<BrainProvider[]>;
  /** The tools the model may call. */
  tools: readonly StructuredToolInterface[];
  /** The constitution (config). */
  constitution: string;
  /** The treasury summary for the system prompt (asked on every question: give a cached view, e.g. createTreasurySummaryView). */
  treasurySummary: () => string | Promise<string>;
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
  /** Tokens in and out over every model turn, when the provider reported usage. */
  usage?: { tokensIn: number; tokensOut: number } | undefined;
};

/** Options of one {@link Brain} `ask`. */
export type BrainAskOptions = {
  /** Aborts the question (the member left, the daemon stops). */
  signal?: AbortSignal | undefined;
  /**
   * Receives the model's text as it is generated, chunk by chunk, over every model turn (text a
   * model writes before calling a tool included). Not called for plain failure sentences.
   */
  onToken?: ((text: string) => void) | undefined;
  /** The tools of this question (a member's conversation gets fewer); default the brain's. */
  tools?: readonly StructuredToolInterface[] | undefined;
};

/** The LangGraph node of `createAgent` that calls the model (langchain 1.x `AGENT_NODE_NAME`). */
const modelNode = 'model_request';

/** The brain. */
export type Brain = {
  /** Answers a conversation (the last message is the question). Never throws for provider trouble. */
  ask: (messages: readonly BrainMessage[], options?: BrainAskOptions) => Promise<BrainAnswer>;
};

/** Compiled agents kept (one per provider, model, output limit and tool set). */
const maxAgents = 64;

const failoverErrors = [OutOfComputeError, ProviderInfoError, ProviderUntrustedError];
const plainErrors = [PerRequestCapExceededError, DailyCapExceededError, UnpriceableRequestError, ComputeBudgetExceededError];

/**
 * The agent's brain: a LangChain agent (`createAgent`) whose model is `ChatOpenAI` pointed at a
 * compute provider (`baseURL` its `/v1`, `configuration.fetch` the paying fetch), with y2c's tools and
 * a system prompt of the constitution plus a live treasury summary. When a provider is down or
 * cannot be paid it fails over to the next; when no channel can pay, it says so plainly (and calls
 * `onOutOfCompute` so the treasury buys more) instead of throwing.
 *
 * The agent runs with `.stream(…, { streamMode: ['messages', 'values'] })`: the `messages` mode makes
 * the model stream (LangGraph's handler prefers streaming) and yields its `AIMessageChunk`s from the
 * `model_request` node as they arrive, which go to `onToken`; the last `values` state is the answer.
 *
 * @param parameters Providers, tools, prompt parts, fetch and log.
 * @returns `ask`.
 * @example const answer = await brain.ask([{ role: 'user', content: 'how is the treasury?' }])
 */
export function createBrain(parameters: CreateBrainParameters): Brain {
  const { log } = parameters;
  // The model and the compiled agent are built once per provider, model, output limit and tool set
  // (the system prompt goes in as the first message, so a new treasury summary needs no new agent).
  const agents = new Map<string, ReturnType<typeof createAgent>>();
  const toolIds = new WeakMap<object, number>();
  let nextToolId = 0;
  const toolId = (tool: object) => {
    let id = toolIds.get(tool);
    if (id === undefined) toolIds.set(tool, (id = nextToolId++));
    return id;
  };
  const agentFor = (provider: BrainProvider, maxTokens: number | undefined, tools: StructuredToolInterface[]) => {
    const key = [provider.baseUrl, provider.model, maxTokens ?? '', ...tools.map(toolId)].join('|');
    let agent = agents.get(key);
    if (agent) {
      // Most recently used last: the oldest is dropped first.
      agents.delete(key);
      agents.set(key, agent);
      return agent;
    }
    const model = new ChatOpenAI({
      model: provider.model,
      apiKey: 'y2c-pays-with-vouchers',
      maxRetries: 0,
      ...(maxTokens ? { maxTokens } : {}),
      configuration: { baseURL: provider.baseUrl, ...(parameters.fetch ? { fetch: parameters.fetch } : {}) },
    });
    agent = createAgent({ model, tools });
    if (agents.size >= maxAgents) agents.delete(agents.keys().next().value as string);
    agents.set(key, agent);
    return agent;
  };
  return {
    ask: async (messages, options = {}) => {
      const providers = await parameters.providers();
      const treasury = await parameters.treasurySummary();
      let outOfCompute = false;
      const reasons: string[] = [];
      for (const provider of providers) {
        // Tools only to a model that takes them; prompt and history cut to its context.
        const takesTools = provider.tools !== false;
        const fitted = fitConversation({
          systemPrompt: buildSystemPrompt({ constitution: parameters.constitution, treasury, tools: takesTools }),
          shortSystemPrompt: parameters.constitution.trim(),
          messages,
          tools: takesTools ? [...(options.tools ?? parameters.tools)] : [],
          contextLength: provider.contextLength,
        });
        if (fitted.dropped.messages || fitted.dropped.tools || fitted.dropped.shortPrompt) log.info('brain fitted the context', { provider: provider.address, contextLength: provider.contextLength, ...fitted.dropped });
        const agent = agentFor(provider, fitted.maxTokens, fitted.tools);
        try {
          const stream = await agent.stream(
            { messages: [{ role: 'system' as const, content: fitted.systemPrompt }, ...fitted.messages.map((message) => ({ role: message.role, content: message.content }))] },
            { recursionLimit: 2 * (parameters.maxTurns ?? 8) + 1, streamMode: ['messages', 'values'], ...(options.signal ? { signal: options.signal } : {}) },
          );
          let all: BaseMessage[] = [];
          for await (const [mode, payload] of stream as AsyncIterable<[string, unknown]>) {
            if (mode === 'messages') {
              const [message, metadata] = payload as [BaseMessage, { langgraph_node?: string }];
              // Node outputs are replayed whole in this mode too; only the model's live chunks are tokens.
              if (metadata.langgraph_node !== modelNode || !AIMessageChunk.isInstance(message)) continue;
              const text = message.text;
              if (text) options.onToken?.(text);
            } else if (mode === 'values') {
              all = ((payload as { messages?: BaseMessage[] }).messages ?? all) as BaseMessage[];
            }
          }
          const last = all[all.length - 1];
          const toolCalls = all.flatMap((message) => ((message as { tool_calls?: { name: string }[] }).tool_calls ?? []).map((call) => call.name));
          const usage = sumUsage(all);
          log.info('brain answered', { provider: provider.address, turns: all.length, toolCalls });
          return { text: typeof last?.content === 'string' ? last.content : (last?.text ?? ''), provider, failure: undefined, toolCalls, usage };
        } catch (error) {
          if (options.signal?.aborted) throw error;
          const plain = findAgentError(error, plainErrors);
          if (plain) {
            log.warn('brain refused to pay', { provider: provider.address, error: plain.name });
            return { text: `I can't answer that right now: ${plain.shortMessage}`, provider: undefined, failure: 'refused', toolCalls: [] };
          }
          if (findAgentError(error, [OutOfComputeError])) outOfCompute = true;
          const refusal = findAgentError(error);
          const reason = refusal ? `${refusal.name}: ${refusal.shortMessage}` : firstLine(error);
          if (refusal && !findAgentError(error, failoverErrors)) log.warn('brain provider failed', { provider: provider.address, error: reason });
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

/** Tokens in and out over the AI messages of a run, when the model reported them. */
function sumUsage(messages: readonly BaseMessage[]): BrainAnswer['usage'] {
  let tokensIn = 0;
  let tokensOut = 0;
  let reported = false;
  for (const message of messages) {
    const usage = AIMessage.isInstance(message) ? (message as { usage_metadata?: { input_tokens: number; output_tokens: number } | undefined }).usage_metadata : undefined;
    if (!usage) continue;
    reported = true;
    tokensIn += usage.input_tokens;
    tokensOut += usage.output_tokens;
  }
  return reported ? { tokensIn, tokensOut } : undefined;
}
