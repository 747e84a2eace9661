import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { foundryBinary } from './foundryBinary.js';
import { freePort } from './freePort.js';
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
  /** Seconds between state dumps while running, so a crash loses little (default 5). */
  stateIntervalSeconds?: number;
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
};

/**
 * Starts anvil from the npm package and waits until it answers JSON-RPC.
 *
 * @param parameters Where to listen and where to keep state.
 * @returns The running devnet; `stop()` dumps the state (with `statePath`) and exits.
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
    args.push('--state', parameters.statePath, '--state-interval', String(parameters.stateIntervalSeconds ?? 5));
    args.push('--preserve-historical-states');
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
  return { ...service, rpcUrl, port, chainId };
}
