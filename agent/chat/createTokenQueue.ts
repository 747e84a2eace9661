/** What {@link createTokenQueue} returns. */
export type TokenQueue = {
  /** Queues a piece of the reply. */
  push: (text: string) => void;
  /** The reply is complete: the generator ends after the queued pieces. */
  end: () => void;
  /** The reply failed: the generator throws `error` after the queued pieces. */
  fail: (error: unknown) => void;
  /** The queued pieces, as they arrive. */
  tokens: () => AsyncGenerator<string>;
};

/**
 * A single-consumer queue between a reply's producer (a stream, the brain's `onToken`) and the
 * generator a responder hands to the chat service.
 *
 * @returns The queue.
 * @example const queue = createTokenQueue(); queue.push('hi'); queue.end(); for await (const t of queue.tokens()) …
 */
export function createTokenQueue(): TokenQueue {
  const pieces: string[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  return {
    push: (text) => {
      pieces.push(text);
      notify();
    },
    end: () => {
      ended = true;
      notify();
    },
    fail: (error) => {
      failure = { error };
      ended = true;
      notify();
    },
    tokens: async function* () {
      for (;;) {
        const piece = pieces.shift();
        if (piece !== undefined) {
          yield piece;
          continue;
        }
        if (failure) throw failure.error;
        if (ended) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}
