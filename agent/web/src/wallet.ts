import {
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  http,
  type Account,
  type Chain,
  type EIP1193Provider,
  type PublicClient,
  type Transport,
  type WalletClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { devKeys } from './devKeys.js';
import type { PageConfig } from './pageConfig.js';

declare global {
  interface Window {
    ethereum?: EIP1193Provider;
  }
}

/** A wallet the page can sign and send with. */
export type PageWallet = {
  label: string;
  kind: 'injected' | 'dev';
  walletClient: WalletClient<Transport, Chain, Account>;
  publicClient: PublicClient;
};

/**
 * Opens a wallet: the injected EIP-1193 provider (asks for accounts), or on the local devnet a
 * demo key signing in the page against the `/rpc` proxy.
 *
 * @param config Page configuration.
 * @param choice `injected`, or the dev account index.
 * @returns Wallet and public clients.
 */
export async function openWallet(config: PageConfig, choice: 'injected' | number): Promise<PageWallet> {
  const rpcUrl = config.rpc ? new URL(config.rpc, location.origin).toString() : undefined;
  const chain = defineChain({
    id: config.chainId,
    name: config.devnet ? 'y2c devnet' : `chain ${config.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: rpcUrl ? [rpcUrl] : [] } },
  });
  if (choice === 'injected') {
    const ethereum = window.ethereum;
    if (!ethereum) throw new Error('No browser wallet found (window.ethereum). Install one, or use a dev account on the local devnet.');
    const [address] = await createWalletClient({ chain, transport: custom(ethereum) }).requestAddresses();
    if (!address) throw new Error('The wallet gave no account.');
    const walletClient = createWalletClient({ chain, transport: custom(ethereum), account: address });
    const publicClient = createPublicClient({ chain, transport: rpcUrl ? http(rpcUrl) : custom(ethereum) }) as PublicClient;
    return { label: 'browser wallet', kind: 'injected', walletClient, publicClient };
  }
  if (!config.devnet || !rpcUrl) throw new Error('Dev accounts exist only on the local devnet.');
  const dev = devKeys.find((k) => k.index === choice);
  if (!dev) throw new Error(`Unknown dev account ${choice}.`);
  const walletClient = createWalletClient({ chain, transport: http(rpcUrl), account: privateKeyToAccount(dev.key), pollingInterval: 250 });
  const publicClient = createPublicClient({ chain, transport: http(rpcUrl), pollingInterval: 250 }) as PublicClient;
  return { label: dev.label, kind: 'dev', walletClient, publicClient };
}
