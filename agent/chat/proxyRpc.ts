import type { IncomingMessage, ServerResponse } from 'node:http';
import { ChatBadRequestError, ChatForbiddenError } from './errors.js';

/**
 * The JSON-RPC methods the page's dev accounts need on the local devnet (viem reads, fee
 * estimates, receipts, and `eth_sendRawTransaction` of transactions the page signed itself).
 * Everything else (`anvil_*`, `evm_*`, `eth_sendTransaction` from unlocked accounts, `debug_*`) is
 * refused: on the devnet those mint money or move time.
 */
export const proxiedRpcMethods: ReadonlySet<string> = new Set([
  'eth_chainId',
  'net_version',
  'web3_clientVersion',
  'eth_blockNumber',
  'eth_getBlockByNumber',
  'eth_getBlockByHash',
  'eth_getBalance',
  'eth_getCode',
  'eth_getStorageAt',
  'eth_getTransactionCount',
  'eth_getTransactionByHash',
  'eth_getTransactionReceipt',
  'eth_getLogs',
  'eth_call',
  'eth_estimateGas',
  'eth_gasPrice',
  'eth_maxPriorityFeePerGas',
  'eth_feeHistory',
  'eth_newBlockFilter',
  'eth_newFilter',
  'eth_getFilterChanges',
  'eth_getFilterLogs',
  'eth_uninstallFilter',
  'eth_sendRawTransaction',
]);

/** Parameters of {@link proxyRpc}. */
export type ProxyRpcParameters = {
  /** The devnet's JSON-RPC URL. */
  rpcUrl: string;
  /** Largest body, bytes. */
  maxBodyBytes: number;
  /** Largest batch (calls per request). */
  maxBatch?: number;
};

/**
 * Forwards one JSON-RPC request (or batch) from the page to the devnet, after reading at most
 * `maxBodyBytes` and checking that every call names a method of {@link proxiedRpcMethods}.
 *
 * @param req The page's request (Host/Origin and the rate limit are checked by the caller).
 * @param res Where the devnet's answer goes.
 * @param parameters Upstream URL and limits.
 * @throws {ChatBadRequestError} A body over the limit or not JSON-RPC (400).
 * @throws {ChatForbiddenError} A method outside the allowlist (403).
 * @example await proxyRpc(req, res, { rpcUrl: devnet.anvil.rpcUrl, maxBodyBytes: 65_536 })
 */
export async function proxyRpc(req: IncomingMessage, res: ServerResponse, parameters: ProxyRpcParameters): Promise<void> {
  const { rpcUrl, maxBodyBytes } = parameters;
  const maxBatch = parameters.maxBatch ?? 20;
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBodyBytes) {
    req.resume();
    throw new ChatBadRequestError(`The body is ${declared} bytes; at most ${maxBodyBytes}.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) {
      req.resume();
      throw new ChatBadRequestError(`The body is over ${maxBodyBytes} bytes.`);
    }
    chunks.push(chunk as Buffer);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ChatBadRequestError('The body must be JSON-RPC.');
  }
  const calls = Array.isArray(parsed) ? parsed : [parsed];
  if (calls.length === 0 || calls.length > maxBatch) throw new ChatBadRequestError(`A batch holds 1 to ${maxBatch} calls.`);
  for (const call of calls) {
    const method = typeof call === 'object' && call !== null ? (call as { method?: unknown }).method : undefined;
    if (typeof method !== 'string') throw new ChatBadRequestError('Every call needs a `method`.');
    if (!proxiedRpcMethods.has(method)) throw new ChatForbiddenError(`The method ${method.slice(0, 64)} is not served by this proxy.`);
  }
  const upstream = await fetch(rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(parsed) });
  const text = await upstream.text();
  res.writeHead(upstream.status, { 'content-type': 'application/json' });
  res.end(text);
}
