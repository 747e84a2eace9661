import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { foundryBinary } from './foundryBinary.js';
import { freePort } from './freePort.js';
import { keepAnvilState } from './keepAnvilState.js';
import { spawnService, type Service } from './spawnService.js';

/** Parameters of {@link startAnvil}. */
export type StartAnvilParameters = {
  /** Interface to listen on; loopback by default. */
  host?: string;
  /** Port; a free one when omitted. */
  port?: number;
  /** Chain id (31337 by default). */
  chainId?: number;
  /** File that keeps the chain state across restarts (anvil `--state`); in-memory when omitted. */
  statePath?: string;
  /** Save the state after every block, so a crash loses no confirmed transaction (default true with `statePath`). */
  saveEveryBlock?: boolean;
  /** Seconds per block; automine when omitted. */
  blockTimeSeconds?: number;
  /** Called with every line anvil prints. */
  onLine?: (line: string) => void;
};

/** A running anvil. */
export type StartAnvilReturnType = Service & {
  /** HTTP JSON-RPC URL. */
  rpcUrl: string;
  /** Port it listens on. */
  port: number;
  /** Chain id. */
  chainId: number;
  /** Holds the per-block state saves until the returned release (which saves once); see keepAnvilState. */
  holdSaves: () => () => Promise<void>;
};

/**
 * Starts anvil from the npm package and waits until it answers JSON-RPC.
 *
 * @param parameters Where to listen and where to keep state.
 * With `statePath` the chain is restored from it, its clock never goes behind the last block, and
 * its state is saved after every block ({@link keepAnvilState}).
 *
 * @returns The running devnet; `stop()` saves the state (with `statePath`) and exits.
 * @example
 * const anvil = await startAnvil({ statePath: '.y2c/anvil-state.json' });
 * // ... use anvil.rpcUrl
 * await anvil.stop();
 */
export async function startAnvil(parameters: StartAnvilParameters = {}): Promise<StartAnvilReturnType> {
  const host = parameters.host ?? '127.0.0.1';
  const port = parameters.port ?? (await freePort(host));
  const chainId = parameters.chainId ?? 31337;
  const args = ['--host', host, '--port', String(port), '--chain-id', String(chainId), '--silent'];
  if (parameters.statePath) {
    mkdirSync(dirname(parameters.statePath), { recursive: true, mode: 0o700 });
    // Loads the state at start and writes it on a clean exit; while running, keepAnvilState saves every block.
    args.push('--state', parameters.statePath, '--preserve-historical-states');
  }
  if (parameters.blockTimeSeconds) args.push('--block-time', String(parameters.blockTimeSeconds));
  const rpcUrl = `http://${host}:${port}`;
  const service = await spawnService({
    name: 'anvil',
    command: foundryBinary('anvil'),
    args,
    ...(parameters.onLine ? { onLine: parameters.onLine } : {}),
    ready: async () => {
      const response = await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      });
      return response.ok;
    },
  });
  const noHold = () => async () => {};
  if (!parameters.statePath) return { ...service, rpcUrl, port, chainId, holdSaves: noHold };
  try {
    await keepTimeForward(rpcUrl);
  } catch (error) {
    await service.stop();
    throw error;
  }
  const keeper = parameters.saveEveryBlock === false ? undefined : keepAnvilState({ rpcUrl, statePath: parameters.statePath, ...(parameters.onLine ? { onError: (error) => parameters.onLine?.(`state save failed: ${String(error)}`) } : {}) });
  return {
    ...service,
    rpcUrl,
    port,
    chainId,
    holdSaves: keeper ? keeper.hold : noHold,
    stop: async (graceMs?: number) => {
      await keeper?.stop();
      await service.stop(graceMs);
    },
  };
}

/**
 * A restored chain keeps going forward: anvil loads the blocks but not the clock, so after a `warp`
 * new blocks would take the wall clock, behind the last block (and behind every contract's last
 * update, so their time differences underflow). When the last block is ahead of the wall clock, the
 * clock is set to just after it.
 */
async function keepTimeForward(rpcUrl: string): Promise<void> {
  const call = async (method: string, params: unknown[]) => {
    const response = await fetch(rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
    const body = (await response.json()) as { result?: unknown; error?: { message: string } };
    if (body.error) throw new Error(`anvil ${method}: ${body.error.message}`);
    return body.result;
  };
  const latest = (await call('eth_getBlockByNumber', ['latest', false])) as { timestamp: string };
  const last = Number(BigInt(latest.timestamp));
  if (last >= Math.floor(Date.now() / 1000)) await call('evm_setTime', [last + 1]);
}
