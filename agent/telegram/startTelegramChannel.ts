import { Bot, type Context } from 'grammy';
import type { Address } from 'viem';
import type { CreateChatServiceReturnType } from '../chat/createChatService.js';
import { ChatApiError } from '../chat/errors.js';
import type { Logger } from '../../core/Logger.js';
import type { CreateTelegramLinkStoreReturnType } from './createTelegramLinkStore.js';

/** Parameters of {@link startTelegramChannel}. */
export type StartTelegramChannelParameters = {
  /** Bot token (config `agent.telegram.botToken`, from Y2C_TELEGRAM_BOT_TOKEN). */
  botToken: string;
  /** Bot API root (config `agent.telegram.apiRoot`). */
  apiRoot: string;
  /** Group chat ids where linked members may ask (with /ask or a mention). */
  allowedGroups: readonly number[];
  /** How often a streaming reply edits its message, ms. */
  editIntervalMs: number;
  /** The chat service: each question is a chat turn (pass, quota, charge). */
  chat: Pick<CreateChatServiceReturnType, 'prepareTurn'>;
  links: CreateTelegramLinkStoreReturnType;
  log: Logger;
};

/** Return type of {@link startTelegramChannel}. */
export type StartTelegramChannelReturnType = {
  /** The bot's @username. */
  username: string;
  /** Stops polling and waits for replies in flight. */
  stop: () => Promise<void>;
};

/** Telegram's limit on a message's text. */
const maxText = 4096;

/**
 * The agent's Telegram channel (grammy, long polling). A member links their Telegram account with
 * `/link <code>` in a private chat (the code from the page or `y2c chat --link`, after Sign-In with
 * Ethereum); then each message in the private chat, or `/ask …` / a mention in an allowed group, is a
 * chat turn under the member's pass and quota exactly as on the web (same checks, same charge, same
 * conversation store), its reply streamed by editing one message. Unlinked users and other groups
 * get an explanation and spend nothing.
 *
 * @param parameters Bot token and API root, groups, the chat service and link store.
 * @returns The bot's username and `stop()`.
 * @example const telegram = await startTelegramChannel({ ...config.agent.telegram, botToken, chat: chatServer.chat, links, log })
 */
export async function startTelegramChannel(parameters: StartTelegramChannelParameters): Promise<StartTelegramChannelReturnType> {
  const { chat, links, log } = parameters;
  const bot = new Bot(parameters.botToken, { client: { apiRoot: parameters.apiRoot } });
  await bot.init();
  const username = bot.botInfo.username;
  const allowed = new Set(parameters.allowedGroups);
  /** Conversation per Telegram chat and user, so a group and a private chat keep their own threads. */
  const conversations = new Map<string, number>();
  const busy = new Set<number>();
  const inFlight = new Set<Promise<void>>();
  const howToLink = "Link your Telegram account first: sign in on the agent's page (or run `y2c chat --link`) to get a code, then send me /link <code> in a private chat.";

  bot.command('start', (ctx) => ctx.reply(`I am the community agent. ${links.memberOf(ctx.from?.id ?? 0) ? 'Your account is linked: ask me anything.' : howToLink}`));
  bot.command('link', async (ctx) => {
    const code = ctx.match.trim();
    if (ctx.chat.type !== 'private') {
      // Everyone in the group saw it: burnt, so an onlooker cannot link it to their own account.
      const burnt = links.burn(code);
      return void (await ctx.reply(`Send /link in a private chat with me, never in a group.${burnt ? ' That code is burnt now: get a new one.' : ''}`));
    }
    if (!/^[A-Za-z0-9_-]{12}$/.test(code) || !ctx.from) return void (await ctx.reply('Usage: /link <code> (the 12-character code from the page or `y2c chat --link`).'));
    const address = links.redeem(code, ctx.from.id);
    await ctx.reply(address ? `Linked to ${address}. Ask me anything: replies are paid from your compute quota.` : 'That code is unknown, used or expired; get a new one.');
  });
  bot.command('unlink', async (ctx) => {
    await ctx.reply(ctx.from && links.unlink(ctx.from.id) ? 'Unlinked.' : 'This account was not linked.');
  });
  bot.command('ask', (ctx) => ask(ctx, ctx.match));
  bot.on('message:text', (ctx) => {
    const text = ctx.msg.text;
    if (text.startsWith('/')) return ctx.chat.type === 'private' ? ctx.reply('Commands: /link <code>, /ask <question>, /unlink.') : undefined;
    if (ctx.chat.type === 'private') return ask(ctx, text);
    const mention = `@${username}`;
    if (text.includes(mention)) return ask(ctx, text.replaceAll(mention, '').trim());
    return undefined;
  });
  bot.catch((error) => log.error('telegram update failed', { error: error.message }));

  /** Starts a turn without holding up the polling loop (other chats are served meanwhile). */
  async function ask(ctx: Context, question: string): Promise<void> {
    const chatInfo = ctx.chat;
    const from = ctx.from;
    if (!chatInfo || !from || !ctx.msg) return;
    if (chatInfo.type !== 'private' && !allowed.has(chatInfo.id)) return;
    const member = links.memberOf(from.id);
    if (!member) return void (await ctx.reply(howToLink));
    if (question.trim() === '') return void (await ctx.reply('Ask me something: /ask <question>.'));
    if (busy.has(from.id)) return void (await ctx.reply('Wait for my current reply to you to finish.'));
    busy.add(from.id);
    const replyTo = { reply_parameters: { message_id: ctx.msg.message_id } };
    const task = answer(ctx, member, chatInfo.id, from.id, question, replyTo).finally(() => {
      busy.delete(from.id);
      inFlight.delete(task);
    });
    inFlight.add(task);
  }

  async function answer(ctx: Context, member: Address, chatId: number, userId: number, question: string, replyTo: { reply_parameters: { message_id: number } }): Promise<void> {
    const key = `${chatId}:${userId}`;
    let turn;
    try {
      const conversationId = conversations.get(key);
      turn = await chat.prepareTurn(member, { content: question, ...(conversationId === undefined ? {} : { conversationId }) });
    } catch (error) {
      return void (await ctx.reply(refusalText(error), replyTo).catch(() => undefined));
    }
    conversations.set(key, turn.conversation.id);
    const placeholder = await ctx.reply('…', replyTo);
    let text = '';
    let shown = '…';
    let lastEdit = Date.now();
    let editing: Promise<void> = Promise.resolve();
    const edit = (next: string) => {
      const clipped = next.length > maxText ? `${next.slice(0, maxText - 1)}…` : next;
      if (clipped === shown || clipped.trim() === '') return;
      shown = clipped;
      lastEdit = Date.now();
      editing = editing.then(() => ctx.api.editMessageText(chatId, placeholder.message_id, clipped).then(() => undefined)).catch(() => undefined);
    };
    try {
      await turn.run((piece) => {
        text += piece;
        if (Date.now() - lastEdit >= parameters.editIntervalMs) edit(`${text} …`);
      }, AbortSignal.timeout(300_000));
      edit(text);
    } catch (error) {
      edit(`${text}${text ? '\n\n' : ''}${refusalText(error)}`);
    }
    await editing;
  }

  const polling = bot.start({ allowed_updates: ['message'] }).catch((error: unknown) => log.error('telegram polling stopped', { error: error instanceof Error ? error.message : String(error) }));
  log.info('telegram channel started', { bot: username });
  return {
    username,
    stop: async () => {
      await bot.stop().catch(() => undefined);
      await polling;
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** What the member reads when the chat refuses or the reply fails. */
function refusalText(error: unknown): string {
  if (error instanceof ChatApiError) return `⚠ ${error.shortMessage}${error.details ? ` ${error.details}` : ''}`;
  return '⚠ The agent could not answer just now.';
}
