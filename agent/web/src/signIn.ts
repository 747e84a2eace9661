import type { Address } from 'viem';
import { createSiweMessage } from 'viem/siwe';
import type { PageWallet } from './wallet.js';

/** A session with the agent. */
export type SignInReturnType = { token: string; address: Address };

/**
 * Signs in with Ethereum: asks the agent for a nonce, has the wallet sign the EIP-4361 message
 * (valid ten minutes), and exchanges it for a session token.
 *
 * @param wallet The wallet that signs.
 * @returns The session token and address.
 */
export async function signIn(wallet: PageWallet): Promise<SignInReturnType> {
  const issued = (await (await fetch('/api/siwe/nonce')).json()) as { nonce: string; domain: string; uri: string; chainId: number };
  const now = Date.now();
  const message = createSiweMessage({
    address: wallet.walletClient.account.address,
    domain: issued.domain,
    uri: issued.uri,
    chainId: issued.chainId,
    nonce: issued.nonce,
    version: '1',
    statement: 'Sign in to chat with the y2c agent.',
    issuedAt: new Date(now),
    expirationTime: new Date(now + 10 * 60_000),
  });
  const signature = await wallet.walletClient.signMessage({ message });
  const response = await fetch('/api/siwe/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message, signature }) });
  const body = (await response.json()) as { token?: string; address?: Address; error?: { message: string } };
  if (!response.ok || !body.token || !body.address) throw new Error(body.error?.message ?? `Sign-in failed (${response.status}).`);
  return { token: body.token, address: body.address };
}
