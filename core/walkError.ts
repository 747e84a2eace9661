/**
 * Walks an error's `cause` chain (the OpenAI client and LangChain wrap what the paying fetch throws),
 * like viem's `BaseError.walk`: the first error the predicate accepts, matched by class
 * (`instanceof`), never by comparing names as strings.
 *
 * @param error Anything thrown.
 * @param predicate Which error to find (default: the deepest cause).
 * @returns The error found, or undefined (with a predicate that accepts none).
 * @example const outOfCompute = walkError(error, (e) => e instanceof OutOfComputeError);
 */
export function walkError(error: unknown, predicate?: (error: unknown) => boolean): unknown {
  let current: unknown = error;
  for (let depth = 0; depth < 16 && current !== undefined && current !== null; depth++) {
    if (predicate?.(current)) return current;
    const cause = (current as { cause?: unknown }).cause;
    if (!predicate && (cause === undefined || cause === null)) return current;
    current = cause;
  }
  return undefined;
}
