import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';

/** A chat-completions request as the provider forwards it: the client's body, model mapped, caps set. */
export type BackendRequest = {
  /** The public model id the client asked for. */
  model: string;
  /** Chat messages, untouched. */
  messages: unknown[];
  /** Completion cap the provider enforces (the one it priced). */
  max_tokens: number;
  [key: string]: unknown;
};

/** Token counts of one completion. */
export type BackendUsage = {
  /** Prompt tokens. */
  prompt_tokens: number;
  /** Completion tokens. */
  completion_tokens: number;
  /** Their sum. */
  total_tokens: number;
};

/** A plain completion and its usage. */
export type BackendCompletion = {
  /** The OpenAI `chat.completion` object (model set to the public id). */
  body: ChatCompletion;
  /** Token counts (from `body.usage`, or counted by the backend). */
  usage: BackendUsage;
};

/** What a served model can take, advertised in `/y2c/info` and `/v1/models` so clients fit their requests. */
export type ModelInfo = {
  /** Context window in tokens (prompt, chat template and completion together), when known. */
  contextLength?: number | undefined;
  /** Whether the model is given tool definitions (`tools`) and can answer with tool calls. */
  tools: boolean;
};

/**
 * What serves completions behind the provider. `stream` yields OpenAI `chat.completion.chunk`
 * objects and must end with a usage chunk (`choices: []`, `usage` set) when the backend can count;
 * a backend throws {@link UpstreamError} when its model fails.
 */
export type Backend = {
  /** Short name for logs and /y2c/info (`openai`, `llama`, `echo`). */
  kind: string;
  /** Public model ids served. */
  models: readonly string[];
  /** What each served model can take (a model missing here is advertised as taking tools, context unknown). */
  modelInfo?: Readonly<Record<string, ModelInfo>>;
  /** One plain completion. */
  complete: (request: BackendRequest, signal: AbortSignal) => Promise<BackendCompletion>;
  /** One streamed completion. */
  stream: (request: BackendRequest, signal: AbortSignal) => AsyncIterable<ChatCompletionChunk>;
  /** Frees what the backend holds (model weights, sockets). */
  close: () => Promise<void>;
};

export type { ChatCompletion, ChatCompletionChunk };
