import type { StructuredToolInterface } from '@langchain/core/tools';
import { createTokenQueue } from './createTokenQueue.js';
import type { Address } from 'viem';
import type { BrainMessage, Brain } from '../brain/createBrain.js';
import type { CreateCostMeterReturnType } from '../brain/createCostMeter.js';
import type { RespondParameters, RespondResult, RespondReturnType, Responder } from './Responder.js';

/** Parameters of {@link createBrainResponder}. */
export type CreateBrainResponderParameters = {
  /** The agent's brain (LangChain agent over the paying fetch, with failover). */
  brain: Brain;
  /** The cost meter whose store the brain's paying fetch records into. */
  meter: Pick<CreateCostMeterReturnType, 'measureSettled'>;
  /**
   * The tools of a member's conversation (tools/createMemberToolkit: reads and the member's own
   * notes, nothing that changes the treasury).
   */
  memberTools: (member: Address) => readonly StructuredToolInterface[];
  /** How many earlier messages of the conversation the brain sees (default 20). */
  historyLimit?: number;
};

/**
 * The daemon's {@link Responder}: each member message is a question to the brain (system prompt,
 * tools, failover), its model text streamed token by token as the provider produces it, and the reply
 * charged at what it really cost: the sum of the paid calls made for it (every model turn, tool turns
 * included), as the provider reported them in its `y2c` settlement. When the brain cannot think (no
 * compute, no provider) its plain sentence is the reply, charged only what failed calls cost.
 *
 * @param parameters Brain, meter and history length.
 * @returns `{ respond }` for `createChatServer`.
 * @example
 * const meter = createCostMeter({ store: payingStore });
 * const responder = createBrainResponder({ brain, meter, memberTools: (member) => createMemberToolkit({ ...toolContext, member }).tools });
 */
export function createBrainResponder(parameters: CreateBrainResponderParameters): Responder {
  const { brain, meter, memberTools } = parameters;
  const historyLimit = parameters.historyLimit ?? 20;

  const respond = ({ member, history, message, signal, budget }: RespondParameters): RespondReturnType => {
    const messages: BrainMessage[] = [];
    for (const earlier of history.slice(-historyLimit)) {
      if (earlier.role === 'user' || earlier.role === 'assistant') messages.push({ role: earlier.role, content: earlier.content });
    }
    messages.push({ role: 'user', content: message });

    const queue = createTokenQueue();
    let streamed = false;
    const settled = meter.measureSettled(
        () =>
          brain.ask(messages, {
            signal,
            tools: memberTools(member),
            onToken: (text) => {
              streamed = true;
              queue.push(text);
            },
          }),
      { member, budget },
    );
    const charged = settled.then((outcome) => outcome.cost);
    const final: Promise<RespondResult> = settled
      .then((outcome) => {
        if (!outcome.ok) throw outcome.error;
        return { result: outcome.result, cost: outcome.cost };
      })
      .then(
        ({ result: answer, cost }) => {
          // A plain sentence (no compute, no provider) or a model that did not stream: send it whole.
          if (!streamed || answer.failure) queue.push(streamed ? `\n\n${answer.text}` : answer.text);
          queue.end();
          return { costUnits: cost, ...(answer.usage ? { tokensIn: answer.usage.tokensIn, tokensOut: answer.usage.tokensOut } : {}) };
        },
        (error: unknown) => {
          queue.fail(error);
          throw error;
        },
      );
    // The caller may never await `final` when streaming fails; keep that from becoming unhandled.
    final.catch(() => {});

    return { tokens: queue.tokens(), final, charged };
  };
  return { respond };
}
