import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** Parameters of {@link keepAnvilState}. */
export type KeepAnvilStateParameters = {
  /** anvil's JSON-RPC URL. */
  rpcUrl: string;
  /** The state file anvil loads at start (`--state`). */
  statePath: string;
  /** How often to look for a new block (default 100 ms). */
  pollMs?: number;
  /** Called when a save fails (the next block tries again). */
  onError?: (error: unknown) => void;
};

/** Return type of {@link keepAnvilState}. */
export type KeepAnvilStateReturnType = {
  /** Saves now if the chain moved since the last save; resolves once the file is written. */
  flush: () => Promise<void>;
  /** Stops watching after a last flush. */
  stop: () => Promise<void>;
  /**
   * Holds the per-block saves (e.g. while a new world deploys: hundreds of blocks, each a full dump
   * of a state that grows to tens of MB); the returned release saves once and goes back to saving
   * every block. Nothing confirmed to anyone may happen while held.
   */
  hold: () => () => Promise<void>;
};

/** The file beside the state that says which block the state file holds: `{ "block": "12" }`. */
export const savedBlockPath = (statePath: string) => `${statePath}.saved`;

const call = async (rpcUrl: string, method: string, params: unknown[] = []): Promise<unknown> => {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
};

/**
 * Saves anvil's state to disk after every block, so a crash (`kill -9` of anvil or of `y2c up`)
 * never loses a confirmed transaction. anvil's own `--state-interval` saves every few seconds and
 * writes the file in place (a crash mid-write corrupts it); here each new block's state
 * (`anvil_dumpState`, historical states kept) is written to a temporary file and renamed over the
 * state file, then {@link savedBlockPath} records the block it holds. Saves are single-flight: a
 * burst of blocks costs one save at its end.
 *
 * @param parameters Where anvil is and where its state lives.
 * @returns `flush` and `stop`.
 * @example const keeper = keepAnvilState({ rpcUrl, statePath: '.y2c/anvil-state.json' });
 */
export function keepAnvilState(parameters: KeepAnvilStateParameters): KeepAnvilStateReturnType {
  const { rpcUrl, statePath, pollMs = 100, onError = () => {} } = parameters;
  // A restart that mines nothing saves nothing: the file already holds the block it was saved at.
  let saved = savedBlockOf(statePath);
  let running: Promise<void> | undefined;
  let stopped = false;
  let held = 0;

  const save = async () => {
    const block = BigInt((await call(rpcUrl, 'eth_blockNumber')) as string);
    if (block === saved) return;
    const hex = (await call(rpcUrl, 'anvil_dumpState', [true])) as string;
    const json = gunzipSync(Buffer.from(hex.slice(2), 'hex'));
    const temporary = `${statePath}.${process.pid}.tmp`;
    writeFileSync(temporary, json, { mode: 0o600 });
    renameSync(temporary, statePath);
    writeFileSync(`${savedBlockPath(statePath)}.tmp`, JSON.stringify({ block: block.toString() }), { mode: 0o600 });
    renameSync(`${savedBlockPath(statePath)}.tmp`, savedBlockPath(statePath));
    saved = block;
  };
  const flush = () =>
    (running ??= save()
      .catch((error: unknown) => {
        if (!stopped) onError(error);
      })
      .finally(() => {
        running = undefined;
      }));
  const timer = setInterval(() => {
    if (held === 0) void flush();
  }, pollMs);
  timer.unref();
  return {
    flush: async () => {
      await running;
      await flush();
    },
    stop: async () => {
      clearInterval(timer);
      await running;
      await flush();
      stopped = true;
    },
    hold: () => {
      held++;
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        held--;
        await running;
        await flush();
      };
    },
  };
}

/** The block {@link savedBlockPath} records, or -1 when there is none. */
function savedBlockOf(statePath: string): bigint {
  try {
    const { block } = JSON.parse(readFileSync(savedBlockPath(statePath), 'utf8')) as { block?: unknown };
    return typeof block === 'string' && /^[0-9]+$/.test(block) ? BigInt(block) : -1n;
  } catch {
    return -1n;
  }
}
