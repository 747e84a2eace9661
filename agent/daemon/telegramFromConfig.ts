import type { Config } from '../../config/types.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import type { ChatMountFactory } from '../chat/ChatMount.js';
import type { CreateChatServiceReturnType } from '../chat/createChatService.js';
import type { Logger } from '../../core/Logger.js';
import { createTelegramLinkMount } from '../telegram/createTelegramLinkMount.js';
import { createTelegramLinkStore } from '../telegram/createTelegramLinkStore.js';
import { startTelegramChannel, type StartTelegramChannelReturnType } from '../telegram/startTelegramChannel.js';

/** Return type of {@link telegramFromConfig}: undefined when no bot token is configured. */
export type TelegramFromConfigReturnType =
  | {
      /** `POST /api/telegram/link` for the chat server. */
      mount: ChatMountFactory;
      /** Starts the bot over the chat service (after the chat server is up). */
      start: (chat: CreateChatServiceReturnType) => Promise<StartTelegramChannelReturnType>;
      /** Stops the bot if it started. */
      stop: () => Promise<void>;
    }
  | undefined;

/**
 * The daemon's Telegram channel from config `agent.telegram` (on only with `Y2C_TELEGRAM_BOT_TOKEN`):
 * the link store in the agent's database, the link route, and the bot.
 *
 * @param parameters Config, memory, logger.
 * @returns The mount and the bot's lifecycle, or undefined.
 * @example
 * const telegram = telegramFromConfig({ config, memory, log });
 * // mounts: [...(telegram ? [telegram.mount] : [])]; after the chat server: await telegram?.start(chat.chat)
 */
export function telegramFromConfig(parameters: { config: Config; memory: Pick<OpenAgentMemoryReturnType, 'db'>; log: Logger }): TelegramFromConfigReturnType {
  const { config, memory, log } = parameters;
  const { botToken, apiRoot, allowedGroups, editIntervalMs } = config.agent.telegram;
  if (!botToken) return undefined;
  const links = createTelegramLinkStore({ db: memory.db });
  let channel: StartTelegramChannelReturnType | undefined;
  return {
    mount: createTelegramLinkMount({ links, botUsername: () => channel?.username }),
    start: async (chat) => (channel = await startTelegramChannel({ botToken, apiRoot, allowedGroups, editIntervalMs, chat, links, log })),
    stop: async () => {
      await channel?.stop();
      channel = undefined;
    },
  };
}
