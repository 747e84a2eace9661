import type { Account, Chain, Transport, WalletClient } from 'viem';
import { signInWithEthereum } from '../../agent/chat/signInWithEthereum.js';
import { serveMcpStdio, type ServeMcpStdioReturnType } from '../../agent/mcp/serveMcpStdio.js';

/** Parameters of {@link mcp}. */
export type McpParameters = {
  /** The agent's chat server, e.g. `http://127.0.0.1:8788` (its MCP endpoint is `/mcp`). */
  url: string;
  /** A member's API key (`y2c_…`) or session token. */
  key?: string | undefined;
  /** Otherwise, sign in with this wallet (Sign-In with Ethereum) for a session token. */
  walletClient?: WalletClient<Transport, Chain, Account> | undefined;
};

/**
 * `y2c mcp`: serves the agent's MCP tools over stdio for a local MCP client, bridged to the running
 * agent under the member's API key (or a SIWE session of the given wallet); with neither, only the
 * public read tools. Writes nothing but MCP to stdout.
 *
 * @param parameters Server URL and credentials.
 * @returns The running bridge.
 * @example await (await mcp({ url: 'http://127.0.0.1:8788', key: 'y2c_…' })).closed
 */
export async function mcp(parameters: McpParameters): Promise<ServeMcpStdioReturnType> {
  const base = parameters.url.replace(/\/$/, '');
  const bearer = parameters.key ?? (parameters.walletClient ? (await signInWithEthereum({ baseUrl: base, walletClient: parameters.walletClient })).token : undefined);
  return serveMcpStdio({ url: `${base}/mcp`, bearer });
}
