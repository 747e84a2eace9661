import type { ChatMountFactory } from '../chat/ChatMount.js';
import type { CreateTelegramLinkStoreReturnType } from './createTelegramLinkStore.js';

/** Parameters of {@link createTelegramLinkMount}. */
export type CreateTelegramLinkMountParameters = {
  links: Pick<CreateTelegramLinkStoreReturnType, 'issueCode'>;
  /** The bot's @username, when known (shown to the member). */
  botUsername?: () => string | undefined;
};

/**
 * `POST /api/telegram/link` (bearer: a Sign-In with Ethereum session, not an API key): a one-time
 * code the member sends to the agent's bot as `/link <code>` to link their Telegram account.
 *
 * @param parameters The link store and the bot's name.
 * @returns A mount for `createChatServer({ mounts })`.
 * @example createChatServer({ ...params, mounts: [createTelegramLinkMount({ links })] })
 */
export function createTelegramLinkMount(parameters: CreateTelegramLinkMountParameters): ChatMountFactory {
  return (context) => ({
    handle: async (req, res, url) => {
      if (url.pathname !== '/api/telegram/link') return false;
      try {
        const session = context.chat.authenticate(context.bearer(req));
        if (req.method !== 'POST') {
          context.sendJson(res, 405, { error: { code: 'bad_request', message: 'POST to get a link code.' } }, { allow: 'POST' });
          return true;
        }
        const { code, expiresAt } = parameters.links.issueCode(session.address);
        const bot = parameters.botUsername?.();
        context.sendJson(res, 200, { code, command: `/link ${code}`, expiresAt, address: session.address, bot: bot ? `@${bot}` : null });
      } catch (error) {
        context.report(error);
        context.sendError(res, error);
      }
      return true;
    },
  });
}
