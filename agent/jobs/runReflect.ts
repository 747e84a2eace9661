import type { Brain, BrainAnswer } from '../brain/createBrain.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';

/** Parameters of {@link runReflect}. */
export type RunReflectParameters = {
  brain: Brain;
  memory: Pick<OpenAgentMemoryReturnType, 'kv'>;
  signal?: AbortSignal;
};

/** Return type of {@link runReflect}. */
export type RunReflectReturnType = BrainAnswer;

/** What the agent is asked when it reflects on its own. */
export const reflectPrompt = [
  'Scheduled reflection. Review your treasury with treasury_status and your recent notes with recall.',
  'If something needs doing (harvest, buy or close compute) do it with your tools, within your limits; otherwise do nothing.',
  'Then reply with one short paragraph: what you saw, what you did, and why.',
].join(' ');

/**
 * The autonomous reflection: the LLM reviews the treasury and may act through the same guarded tools.
 * Its note is kept in memory (`reflect.last`). When the agent cannot think (no compute), the plain
 * answer is kept instead; survival is the treasury job's, not this one's.
 *
 * @param parameters Brain and memory.
 * @returns The brain's answer.
 * @example await runReflect({ brain, memory })
 */
export async function runReflect(parameters: RunReflectParameters): Promise<RunReflectReturnType> {
  const answer = await parameters.brain.ask([{ role: 'user', content: reflectPrompt }], parameters.signal ? { signal: parameters.signal } : {});
  parameters.memory.kv.setJson('reflect.last', { at: new Date().toISOString(), text: answer.text, toolCalls: answer.toolCalls, failure: answer.failure ?? null });
  return answer;
}
