import type { Address } from 'viem';
import { signInWithEthereum } from '../../chat/signInWithEthereum.js';
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
  return signInWithEthereum({ baseUrl: '', walletClient: wallet.walletClient });
}
