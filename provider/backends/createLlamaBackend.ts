import { availableParallelism } from 'node:os';
import { AgentError } from '../../core/AgentError.js';
import type { Backend, BackendRequest, BackendUsage, ChatCompletion, ChatCompletionChunk } from './Backend.js';
import { UpstreamError } from './UpstreamError.js';

/** Parameters of {@link createLlamaBackend}. */
export type CreateLlamaBackendParameters = {
  /** Path to a GGUF model file. */
  modelPath: string;
  /** Public model id (default: the file name without `.gguf`). */
  model?: string;
  /** Context size in tokens, at most the model's trained context (default: what the model and memory allow). */
  contextSize?: number;
  /** CPU threads (default: the machine's cores). */
  threads?: number;
};

/** Return type of {@link createLlamaBackend}. */
export type CreateLlamaBackendReturnType = Backend;

/** node-llama-cpp is not installed, or has no prebuilt binary for this machine. */
export class LlamaUnavailableError extends AgentError {
  override name = 'LlamaUnavailableError' as const;
}

/** The slice of node-llama-cpp@3 used here, typed locally so the package stays optional. */
type NodeLlamaCpp = {
  getLlama: (options: { build: 'never'; gpu: false }) => Promise<{
    loadModel: (options: { modelPath: string }) => Promise<LlamaModel>;
    dispose: () => Promise<void>;
  }>;
  LlamaChatSession: new (options: { contextSequence: unknown }) => LlamaChatSession;
};
type LlamaModel = {
  tokenize: (text: string) => readonly unknown[];
  /** The context the model was trained with (its GGUF metadata). */
  readonly trainContextSize: number;
  createContext: (options: { threads: number; contextSize?: number }) => Promise<{ contextSize: number; getSequence: () => LlamaSequence; dispose: () => Promise<void> }>;
  dispose: () => Promise<void>;
};
/** A context sequence: `nextTokenIndex` is how many tokens it holds (template, prompt and output). */
type LlamaSequence = { readonly nextTokenIndex: number };
type ChatHistoryItem = { type: 'system'; text: string } | { type: 'user'; text: string } | { type: 'model'; response: string[] };
type LlamaChatSession = {
  setChatHistory: (history: ChatHistoryItem[]) => void;
  prompt: (
    text: string,
    options: { maxTokens: number; signal: AbortSignal; stopOnAbortSignal: boolean; onTextChunk: (text: string) => void; onToken: (tokens: readonly unknown[]) => void },
  ) => Promise<string>;
  dispose: () => void;
};

/**
 * A backend running a local GGUF model on the CPU through node-llama-cpp@3 (imported dynamically,
 * so the package stays optional; `build: 'never'` uses its prebuilt binaries and never compiles).
 * Tokens are counted as the model sees them: the completion as the tokens it generated, the prompt as
 * the rest of what its context sequence holds (chat template included). Requests run one at a time on one context sequence. Tool
 * definitions are not supported (the request is answered as plain chat).
 *
 * @param parameters The model file and the threads.
 * @returns The backend, once the model is loaded.
 * @throws {LlamaUnavailableError} When node-llama-cpp cannot be imported or has no binary.
 * @example const backend = await createLlamaBackend({ modelPath: '.y2c/models/qwen2.5-0.5b-instruct-q4_k_m.gguf' });
 */
export async function createLlamaBackend(parameters: CreateLlamaBackendParameters): Promise<CreateLlamaBackendReturnType> {
  const { modelPath } = parameters;
  const model = parameters.model ?? (modelPath.split('/').at(-1) ?? 'local').replace(/\.gguf$/i, '');
  let lib: NodeLlamaCpp;
  try {
    const specifier = 'node-llama-cpp';
    lib = (await import(specifier)) as NodeLlamaCpp;
  } catch (cause) {
    throw new LlamaUnavailableError('The local model backend needs node-llama-cpp.', {
      cause,
      details: 'Install it with `npm install node-llama-cpp@3.21.1`, or configure an OpenAI-compatible upstream instead.',
      docsPath: '#provider-backends',
    });
  }
  let llama: Awaited<ReturnType<NodeLlamaCpp['getLlama']>>;
  try {
    llama = await lib.getLlama({ build: 'never', gpu: false });
  } catch (cause) {
    throw new LlamaUnavailableError('node-llama-cpp has no prebuilt binary for this machine.', { cause, docsPath: '#provider-backends' });
  }
  const loaded = await llama.loadModel({ modelPath });
  const context = await loaded.createContext({
    threads: parameters.threads ?? availableParallelism(),
    ...(parameters.contextSize ? { contextSize: Math.min(parameters.contextSize, loaded.trainContextSize || parameters.contextSize) } : {}),
  });
  const sequence = context.getSequence();
  const session = new lib.LlamaChatSession({ contextSequence: sequence });
  let queue: Promise<unknown> = Promise.resolve();

  /** Runs one generation, serialized (one context sequence), calling `onText` per piece. */
  function generate(request: BackendRequest, signal: AbortSignal, onText: (text: string) => void): Promise<{ text: string; usage: BackendUsage }> {
    const run = queue.then(async () => {
      const texts = request.messages.map((m) => textOf(m));
      const last = request.messages.at(-1) as { role?: unknown } | undefined;
      if (!last || last.role !== 'user') throw new UpstreamError('The local model needs the last message to be from the user.');
      session.setChatHistory(request.messages.slice(0, -1).map(toHistoryItem));
      let text: string;
      // Billing counts the tokens the model really generated and the tokens its context really holds
      // (chat template included), not a re-tokenization of the text, which can differ.
      let completionTokens = 0;
      try {
        text = await session.prompt(texts.at(-1) ?? '', {
          maxTokens: request.max_tokens,
          signal,
          stopOnAbortSignal: true,
          onTextChunk: onText,
          onToken: (tokens) => {
            completionTokens += tokens.length;
          },
        });
      } catch (cause) {
        throw new UpstreamError('The local model failed.', { cause });
      }
      const promptTokens = Math.max(0, sequence.nextTokenIndex - completionTokens);
      return { text, usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens } };
    });
    queue = run.catch(() => undefined);
    return run;
  }

  const base = (object: 'chat.completion' | 'chat.completion.chunk', request: BackendRequest) => ({
    id: `chatcmpl-llama-${Date.now().toString(36)}`,
    object,
    created: Math.floor(Date.now() / 1000),
    model: request.model,
  });

  return {
    kind: 'llama',
    models: [model],
    // Tool definitions are not given to the model: clients learn it here and send none.
    modelInfo: { [model]: { contextLength: context.contextSize, tools: false } },
    async complete(request, signal) {
      const { text, usage } = await generate(request, signal, () => undefined);
      const body = {
        ...base('chat.completion', request),
        choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
        usage,
      } as ChatCompletion;
      return { body, usage };
    },
    async *stream(request, signal) {
      const pieces: string[] = [];
      let wake: (() => void) | undefined;
      let finished = false;
      const result = generate(request, signal, (text) => {
        pieces.push(text);
        wake?.();
      }).finally(() => {
        finished = true;
        wake?.();
      });
      result.catch(() => undefined);
      const head = base('chat.completion.chunk', request);
      const chunk = (delta: ChatCompletionChunk.Choice.Delta, finish: ChatCompletionChunk.Choice['finish_reason'] = null): ChatCompletionChunk =>
        ({ ...head, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] }) as ChatCompletionChunk;
      yield chunk({ role: 'assistant', content: '' });
      for (;;) {
        const piece = pieces.shift();
        if (piece !== undefined) {
          yield chunk({ content: piece });
          continue;
        }
        if (finished) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      const { usage } = await result;
      yield chunk({}, 'stop');
      yield { ...head, choices: [], usage } as ChatCompletionChunk;
    },
    async close() {
      session.dispose();
      await context.dispose();
      await loaded.dispose();
      await llama.dispose();
    },
  };
}

function textOf(message: unknown): string {
  const content = (message as { content?: unknown }).content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part) => (typeof part === 'object' && part && 'text' in part ? String((part as { text: unknown }).text) : '')).join('');
  }
  return '';
}

function toHistoryItem(message: unknown): ChatHistoryItem {
  const role = (message as { role?: unknown }).role;
  const text = textOf(message);
  if (role === 'system' || role === 'developer') return { type: 'system', text };
  if (role === 'assistant') return { type: 'model', response: [text] };
  return { type: 'user', text };
}
