import { formatEther, formatUnits, type Address } from 'viem';
import { agentAccountAbi } from '../../chain/abi/generated/agentAccount.js';
import { usdxAbi } from '../../chain/abi/generated/usdx.js';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import type { Connection } from '../connect.js';
import type { Runtime } from '../runtime.js';

/** Everything `y2c status` shows, as plain JSON-able values (amounts as decimal strings). */
export type AgentStatus = {
  chainId: number;
  tba: Address;
  owner: Address;
  tokenId: string;
  session: {
    key: Address;
    active: boolean;
    grantedBy: Address;
    validAfter: string;
    validUntil: string;
    callsUsed: number;
    maxCallsPerPeriod: number;
    tokenBudget: string;
    tokenSpent: string;
    tokenRemaining: string;
  };
  vault: { address: Address; tvl: string; totalPrincipal: string; pendingYield: string; harvested: string; stakers: string };
  balances: { tbaToken: string; tbaEth: string; sessionKeyEth: string };
  /** The payment token's symbol (amounts above are decimal strings in it; ETH balances in ETH). */
  symbol: string;
  /** Where the running world answers (local: from `.y2c/runtime.json`; a real network: the configured RPC and bundler). */
  endpoints: { chat?: string | undefined; provider?: string | undefined; rpc: string; bundler?: string | undefined; health?: string | undefined };
};

/**
 * Reads the agent's state from the chain: account, owner, session validity and remaining budget,
 * vault TVL and pending yield, balances.
 *
 * @param connection Clients and addresses.
 * @param options The token symbol and what `y2c up` runs (for the endpoints).
 * @returns The status.
 */
export async function getAgentStatus(connection: Connection, options: { symbol?: string; runtime?: Runtime | undefined } = {}): Promise<AgentStatus> {
  const { publicClient, deployment } = connection;
  const { tba, vault, sessionKey } = deployment.agent;
  const read = publicClient.readContract;
  const [owner, session, usage, tokenSpent, tvl, principal, pending, harvested, stakers, tbaToken, tbaEth, keyEth] = await Promise.all([
    read({ address: tba, abi: agentAccountAbi, functionName: 'owner' }),
    read({ address: tba, abi: agentAccountAbi, functionName: 'getSession', args: [sessionKey] }),
    read({ address: tba, abi: agentAccountAbi, functionName: 'getSessionUsage', args: [sessionKey] }),
    read({ address: tba, abi: agentAccountAbi, functionName: 'getTokenSpent', args: [sessionKey, deployment.usdx] }),
    read({ address: vault, abi: yieldVaultAbi, functionName: 'totalValue' }),
    read({ address: vault, abi: yieldVaultAbi, functionName: 'totalPrincipal' }),
    read({ address: vault, abi: yieldVaultAbi, functionName: 'pendingYield' }),
    read({ address: vault, abi: yieldVaultAbi, functionName: 'totalHarvested' }),
    read({ address: vault, abi: yieldVaultAbi, functionName: 'stakerCount' }),
    read({ address: deployment.usdx, abi: usdxAbi, functionName: 'balanceOf', args: [tba] }),
    publicClient.getBalance({ address: tba }),
    publicClient.getBalance({ address: sessionKey }),
  ]);
  const [policy, grantedBy, active] = session;
  const budget = policy.tokenBudgets.find((b) => b.token.toLowerCase() === deployment.usdx.toLowerCase())?.amountPerPeriod ?? 0n;
  const usdc = (v: bigint) => formatUnits(v, 6);
  return {
    chainId: deployment.chainId,
    tba,
    owner,
    tokenId: deployment.agent.tokenId,
    session: {
      key: sessionKey,
      active,
      grantedBy,
      validAfter: new Date(Number(policy.validAfter) * 1000).toISOString(),
      validUntil: new Date(Number(policy.validUntil) * 1000).toISOString(),
      callsUsed: Number(usage.calls),
      maxCallsPerPeriod: Number(policy.maxCallsPerPeriod),
      tokenBudget: usdc(budget),
      tokenSpent: usdc(tokenSpent),
      tokenRemaining: usdc(budget > tokenSpent ? budget - tokenSpent : 0n),
    },
    vault: {
      address: vault,
      tvl: usdc(tvl),
      totalPrincipal: usdc(principal),
      pendingYield: usdc(pending),
      harvested: usdc(harvested),
      stakers: stakers.toString(),
    },
    balances: { tbaToken: usdc(tbaToken), tbaEth: formatEther(tbaEth), sessionKeyEth: formatEther(keyEth) },
    symbol: options.symbol ?? 'USDx',
    endpoints: {
      chat: options.runtime?.chatUrl,
      provider: options.runtime?.providerUrl,
      rpc: connection.rpcUrl,
      bundler: connection.bundlerUrl ?? options.runtime?.bundlerUrl,
      health: options.runtime?.healthUrl,
    },
  };
}

/** Renders a status for people. */
export function formatAgentStatus(status: AgentStatus): string {
  const s = status.session;
  const v = status.vault;
  const t = status.symbol;
  const e = status.endpoints;
  return [
    `agent #${status.tokenId} on chain ${status.chainId}`,
    `  account (TBA)   ${status.tba}`,
    `  owner           ${status.owner}`,
    `session key       ${s.key}  ${s.active ? 'active' : 'INACTIVE'}`,
    `  valid           ${s.validAfter} → ${s.validUntil}`,
    `  today           ${s.callsUsed}/${s.maxCallsPerPeriod} calls, ${s.tokenSpent}/${s.tokenBudget} ${t} approved (${s.tokenRemaining} ${t} left)`,
    `vault             ${v.address}`,
    `  TVL             ${v.tvl} ${t} (principal ${v.totalPrincipal} ${t}, ${v.stakers} stakers)`,
    `  pending yield   ${v.pendingYield} ${t} (harvested so far ${v.harvested} ${t})`,
    `balances          TBA ${status.balances.tbaToken} ${t}, ${status.balances.tbaEth} ETH; session key ${status.balances.sessionKeyEth} ETH`,
    'endpoints',
    `  chat + page     ${e.chat ?? 'not running'}`,
    `  provider        ${e.provider ?? 'not running'}`,
    `  chain RPC       ${e.rpc}`,
    `  bundler         ${e.bundler ?? 'off'}`,
    `  health          ${e.health ?? 'not running'}`,
  ].join('\n');
}
