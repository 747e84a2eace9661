import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import type { StructuredToolInterface } from '@langchain/core/tools';
import type { BrainMessage } from './createBrain.js';

/** Parameters of {@link fitConversation}. */
export type FitConversationParameters = {
  /** The full system prompt. */
  systemPrompt: string;
  /** A shorter one for small contexts (e.g. the constitution alone). */
  shortSystemPrompt: string;
  /** The conversation; the last message is the question. */
  messages: readonly BrainMessage[];
  /** Tools the model would be given (only to a model that takes them). */
  tools: readonly StructuredToolInterface[];
  /** The model's context window in tokens; nothing is cut when unknown. */
  contextLength: number | undefined;
};

/** Return type of {@link fitConversation}. */
export type FitConversationReturnType = {
  systemPrompt: string;
  messages: BrainMessage[];
  tools: StructuredToolInterface[];
  /** The completion cap to ask for, so prompt and completion fit together; undefined: the provider's default. */
  maxTokens: number | undefined;
  /** What was left out, for the log. */
  dropped: { messages: number; tools: boolean; shortPrompt: boolean; truncated: boolean };
};

/** Chat-template tokens counted per message, and once for the whole prompt. */
const perMessage = 8;
const perPrompt = 32;
/** Largest completion asked for when the context is known. */
const maxCompletion = 256;

const encoder = new TextEncoder();
/** An upper bound on a text's tokens: its UTF-8 bytes (every tokenizer here falls back to bytes), as the provider prices. */
const bound = (text: string) => encoder.encode(text).length;

/** The longest head of `text` within `bytes` UTF-8 bytes. */
function truncate(text: string, bytes: number): string {
  if (bytes <= 0) return '';
  if (bound(text) <= bytes) return text;
  return new TextDecoder().decode(encoder.encode(text).subarray(0, bytes)).replace(/\uFFFD+$/, '');
}

/**
 * Fits a conversation into a model's context: the completion cap is a quarter of the context (at
 * most 256 tokens); tools are given only when their schemas take at most half of what is left; the
 * full system prompt when it fits with the question, else the short one, cut if it must be; the
 * question (cut at the end if it alone is too long); then as many earlier messages as fit, newest
 * first. Tokens are bounded by UTF-8 bytes, so what is sent always fits whatever the tokenizer.
 *
 * @param parameters Prompt, conversation, tools and the context window.
 * @returns What to send.
 * @example fitConversation({ systemPrompt, shortSystemPrompt: constitution, messages, tools, contextLength: 512 })
 */
export function fitConversation(parameters: FitConversationParameters): FitConversationReturnType {
  const { systemPrompt, shortSystemPrompt, messages, tools, contextLength } = parameters;
  const dropped = { messages: 0, tools: false, shortPrompt: false, truncated: false };
  if (!contextLength) return { systemPrompt, messages: [...messages], tools: [...tools], maxTokens: undefined, dropped };
  const maxTokens = Math.max(16, Math.min(maxCompletion, Math.floor(contextLength / 4)));
  let room = contextLength - maxTokens - perPrompt;
  const toolCost = tools.length ? bound(JSON.stringify(tools.map((tool) => convertToOpenAITool(tool)))) : 0;
  let kept = [...tools];
  if (toolCost > room / 2) {
    kept = [];
    dropped.tools = tools.length > 0;
  } else room -= toolCost;

  const last = messages.at(-1);
  const lastCost = last ? bound(last.content) + perMessage : 0;
  const forQuestion = Math.min(lastCost, Math.floor(room / 2));
  let system = systemPrompt;
  if (bound(system) + perMessage > room - forQuestion) {
    system = shortSystemPrompt;
    dropped.shortPrompt = true;
    if (bound(system) + perMessage > room - forQuestion) {
      system = truncate(system, room - forQuestion - perMessage);
      dropped.truncated = true;
    }
  }
  room -= bound(system) + perMessage;
  const fitted: BrainMessage[] = [];
  if (last) {
    const content = truncate(last.content, room - perMessage);
    if (content !== last.content) dropped.truncated = true;
    fitted.push({ role: last.role, content });
    room -= bound(content) + perMessage;
  }
  for (let i = messages.length - 2; i >= 0; i--) {
    const message = messages[i] as BrainMessage;
    const cost = bound(message.content) + perMessage;
    if (cost > room) {
      dropped.messages = i + 1;
      break;
    }
    fitted.unshift(message);
    room -= cost;
  }
  return { systemPrompt: system, messages: fitted, tools: kept, maxTokens, dropped };
}
