import type { Address } from 'viem';

/** What `/api/config` tells the page. */
export type PageConfig = {
  chainId: number;
  vault: Address;
  token: Address;
  tokenSymbol: string;
  decimals: number;
  agent: Address | null;
  pass: { kind: 'stake'; minStake: string } | { kind: 'erc721'; token: Address };
  /** True on the local devnet only: the dev-account picker and the `/rpc` proxy exist. */
  devnet: boolean;
  rpc: string | null;
  /** The agent's community (self-owned), or null when a key owns it. */
  governance: { governor: Address; charter: Address; timelock: Address } | null;
};

/** The signed-in member, shared by the page's parts. */
export type PageSession = { token: string; address: Address; signer: PageSigner };

/** Signs messages and sends transactions: an injected wallet or a devnet demo key. */
export type PageSigner = { kind: 'injected' | 'dev'; address: Address; label: string };

/**
 * Reads the page configuration from the agent.
 *
 * @returns The configuration.
 */
export async function loadPageConfig(): Promise<PageConfig> {
  const response = await fetch('/api/config');
  if (!response.ok) throw new Error(`The agent did not answer /api/config (${response.status}).`);
  return (await response.json()) as PageConfig;
}
