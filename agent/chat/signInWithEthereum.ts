import type { Account, Address, Chain, Transport, WalletClient } from 'viem';
import { createSiweMessage } from 'viem/siwe';
import { AgentError } from '../../core/AgentError.js';

/** Parameters of {@link signInWithEthereum}. */
export type SignInWithEthereumParameters = {
  /** Origin of the chat server (`''` in the page: same origin). */
  baseUrl: string;
  /** The member's wallet; it signs the EIP-4361 message. */
  walletClient: WalletClient<Transport, Chain | undefined, Account>;
};

/** A chat session. */
export type SignInWithEthereumReturnType = { token: string; address: Address };

/** The chat server refused the sign-in. */
export class SignInRefusedError extends AgentError {
  override name = 'SignInRefusedError' as const;
}

/**
 * The client half of Sign-In with Ethereum, shared by the web page and `y2c chat`: asks the server
 * for a single-use nonce (with the domain, URI and chain it expects), signs the EIP-4361 message
 * (valid ten minutes), and exchanges it for a session token. Browser- and Node-safe (fetch only).
 *
 * @param parameters Server origin and wallet.
 * @returns The session token and the signed-in address.
 * @throws {SignInRefusedError} With the server's reason.
 */
export async function signInWithEthereum(parameters: SignInWithEthereumParameters): Promise<SignInWithEthereumReturnType> {
  const base = parameters.baseUrl.replace(/\/$/, '');
  const { walletClient } = parameters;
  const nonceResponse = await fetch(`${base}/api/siwe/nonce`);
  if (!nonceResponse.ok) throw new SignInRefusedError(`The agent gave no sign-in nonce (HTTP ${nonceResponse.status}).`);
  const issued = (await nonceResponse.json()) as { nonce: string; domain: string; uri: string; chainId: number };
  const now = Date.now();
  const message = createSiweMessage({
    address: walletClient.account.address,
    domain: issued.domain,
    uri: issued.uri,
    chainId: issued.chainId,
    nonce: issued.nonce,
    version: '1',
    statement: 'Sign in to chat with the y2c agent.',
    issuedAt: new Date(now),
    expirationTime: new Date(now + 10 * 60_000),
  });
  const signature = await walletClient.signMessage({ account: walletClient.account, message });
  const response = await fetch(`${base}/api/siwe/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message, signature }),
  });
  const body = (await response.json()) as { token?: string; address?: Address; error?: { message: string } };
  if (!response.ok || !body.token || !body.address) {
    throw new SignInRefusedError(body.error?.message ?? `Sign-in failed (HTTP ${response.status}).`, { details: `HTTP ${response.status}` });
  }
  return { token: body.token, address: body.address };
}
