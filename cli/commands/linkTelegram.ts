import type { Account, Chain, Transport, WalletClient } from 'viem';
import { signInWithEthereum } from '../../agent/chat/signInWithEthereum.js';
import { ChatRefusedError } from './chat.js';

/** Parameters of {@link linkTelegram}. */
export type LinkTelegramParameters = {
  /** The agent's chat server. */
  url: string;
  /** Who signs in (key file or devnet dev account). */
  walletClient: WalletClient<Transport, Chain, Account>;
};

/** Return type of {@link linkTelegram}. */
export type LinkTelegramReturnType = { address: string; code: string; command: string; expiresAt: number; bot: string | null };

/**
 * `y2c chat --link`: signs in with Ethereum and asks the agent for a one-time Telegram link code;
 * sending `/link <code>` to the agent's bot in a private chat (within 10 minutes) links that
 * Telegram account to this address.
 *
 * @param parameters Server URL and wallet.
 * @returns The code, the command to send and the bot's name.
 * @throws {ChatRefusedError} When sign-in or the request is refused (no Telegram channel: 404).
 * @example const { command } = await linkTelegram({ url, walletClient })
 */
export async function linkTelegram(parameters: LinkTelegramParameters): Promise<LinkTelegramReturnType> {
  const base = parameters.url.replace(/\/$/, '');
  const { token } = await signInWithEthereum({ baseUrl: base, walletClient: parameters.walletClient });
  const response = await fetch(`${base}/api/telegram/link`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  const body = (await response.json().catch(() => ({}))) as Partial<LinkTelegramReturnType> & { error?: { message?: string } };
  if (!response.ok || typeof body.code !== 'string') {
    throw new ChatRefusedError(response.status === 404 ? 'This agent has no Telegram channel.' : (body.error?.message ?? `The agent refused (${response.status}).`));
  }
  return { address: body.address ?? '', code: body.code, command: body.command ?? `/link ${body.code}`, expiresAt: body.expiresAt ?? 0, bot: body.bot ?? null };
}
