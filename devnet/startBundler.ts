import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Address, Hex } from 'viem';
import { freePort } from './freePort.js';
import { spawnService, type Service } from './spawnService.js';

/** Parameters of {@link startBundler}. */
export type StartBundlerParameters = {
  /** JSON-RPC URL of the chain. */
  rpcUrl: string;
  /** EntryPoint(s) to serve; must be deployed already. */
  entryPoints: readonly Address[];
  /** Key of the account that sends bundles. */
  executorKey: Hex;
  /** Key of the account that deploys alto's simulation contracts and refills executors. */
  utilityKey: Hex;
  /** Port; a free one when omitted. */
  port?: number;
  /** Called with every line alto prints. */
  onLine?: (line: string) => void;
};

/** A running bundler. */
export type StartBundlerReturnType = Service & {
  /** JSON-RPC URL of the bundler. */
  bundlerUrl: string;
  /** Port it listens on. */
  port: number;
};

const require = createRequire(import.meta.url);

/** alto's CLI script; its package exports no package.json, so look along the module paths. */
function altoEntry(): string {
  for (const base of require.resolve.paths('@pimlico/alto') ?? []) {
    const candidate = join(base, '@pimlico', 'alto', 'esm', 'cli', 'alto.js');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('@pimlico/alto is not installed: run `npm ci`');
}

/**
 * Starts the ERC-4337 bundler (alto from npm) against a chain and waits until it answers.
 * Safe mode is off: alto 0.0.20's safe mode fails against anvil (a tracer gap), so ERC-7562
 * compliance of the account is proven in the forge suite instead.
 *
 * @param parameters Chain, EntryPoint and keys.
 * @returns The running bundler.
 */
export async function startBundler(parameters: StartBundlerParameters): Promise<StartBundlerReturnType> {
  const port = parameters.port ?? (await freePort());
  const altoMain = altoEntry();
  const bundlerUrl = `http://127.0.0.1:${port}`;
  const args = [
    altoMain,
    '--entrypoints', parameters.entryPoints.join(','),
    '--executor-private-keys', parameters.executorKey,
    '--utility-private-key', parameters.utilityKey,
    '--rpc-url', parameters.rpcUrl,
    '--port', String(port),
    '--safe-mode', 'false',
    '--log-level', 'warn',
    '--block-time', '100',
    '--min-bundle-interval', '10',
    '--max-bundle-interval', '100',
    '--utility-wallet-monitor', 'false',
    '--enable-debug-endpoints', 'false',
  ];
  const service = await spawnService({
    name: 'bundler (alto)',
    command: process.execPath,
    args,
    timeoutMs: 60_000,
    ...(parameters.onLine ? { onLine: parameters.onLine } : {}),
    ready: async () => {
      const response = await fetch(bundlerUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_supportedEntryPoints', params: [] }),
      });
      if (!response.ok) return false;
      const body = (await response.json()) as { result?: string[] };
      return Array.isArray(body.result) && body.result.length > 0;
    },
  });
  return { ...service, bundlerUrl, port };
}
