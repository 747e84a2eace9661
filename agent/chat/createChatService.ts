import type { Address, Client, Hex } from 'viem';
import type { PassConfig } from '../../config/types.js';
import type { Conversation, Message } from '../../memory/createConversationsStore.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import { checkPass, type CheckPassReturnType } from './checkPass.js';
import { createNonceStore } from './createNonceStore.js';
import { createRateLimiter } from './createRateLimiter.js';
import { apiKeyPrefix, createApiKeyStore } from './createApiKeyStore.js';
import { createSessionStore, type ChatSession } from './createSessionStore.js';
import { ChatBadRequestError, ChatNotFoundError, QuotaExhaustedError, RateLimitedError, ReplyFailedError, UnauthenticatedError } from './errors.js';
import { readQuota, type ReadQuotaReturnType } from './readQuota.js';
import type { MemberReads } from './createMemberReads.js';
import type { Responder } from './Responder.js';
import { verifySignIn } from './verifySignIn.js';
import { firstLine } from '../../core/firstLine.js';

/** Parameters of {@link createChatService}. */
export type CreateChatServiceParameters = {
  /** Reads the chain (pass, quota, signatures of smart accounts). */
  client: Client;
  /** Chain id sign-in messages must name. */
  chainId: number;
  /** The agent's vault. */
  vault: Address;
  /** The agent's ETH vault and its converter: ETH stakers hold the stake pass and their converted yield is quota. */
  ethVault?: { vault: Address; converter: Address };
  /** Who may chat (config `agent.pass`). */
  pass: PassConfig;
  /** The agent's memory: members, conversations and the database for sessions. */
  memory: Pick<OpenAgentMemoryReturnType, 'db' | 'members' | 'conversations'>;
  /** Writes replies. */
  responder: Responder;
  /** Yield rate of the vault's source in basis points per year, for the quota restore estimate. */
  aprBps: () => Promise<number> | number;
  /** The `domain` and `uri` sign-in messages must carry; may be set after the server listens. */
  origin?: { domain: string; uri: string };
  /** Limits (defaults in brackets). */
  limits?: {
    /** Longest member message, characters [4000]. */
    maxMessageChars?: number;
    /** Per member: burst and refill per second [5, 0.5]. */
    member?: { capacity: number; refillPerSecond: number };
    /** Per network address (IP), all requests: burst and refill per second [60, 5]. */
    network?: { capacity: number; refillPerSecond: number };
    /** Session lifetime, seconds [86400]. */
    sessionTtlSeconds?: number;
    /** How many earlier messages the responder sees [50]. */
    historyMessages?: number;
    /**
     * The most one reply may cost, token units: reserved on the member's quota before the model is
     * called (at most what remains) and passed to the responder as its budget [all that remains].
     */
    maxReplyCost?: bigint;
  };
  /** Payment token decimals for messages [6]. */
  decimals?: number;
  /**
   * The member's pass and quota figures, cached and kept fresh by the vault's events
   * ({@link createMemberReads}); read from the chain on every check when undefined.
   */
  reads?: MemberReads | undefined;
};

/** A member's request to chat, checked and ready to stream. */
export type ChatTurn = {
  member: Address;
  conversation: Conversation;
  /** Streams the reply: calls `onToken` per piece, resolves with the stored reply. */
  run: (onToken: (text: string) => void, signal: AbortSignal) => Promise<ChatTurnResult>;
};

/** What a finished turn stored and charged. */
export type ChatTurnResult = {
  conversationId: number;
  message: Message;
  /** Token units charged to the member's quota. */
  costUnits: bigint;
  /** The quota after the charge. */
  quota: { balance: bigint; used: bigint; remaining: bigint };
};

/** Quota held for one paid request until it is charged and released. */
export type QuotaReservation = {
  /** The most the request may cost, token units (reserved on the member's quota). */
  budget: bigint;
  /** Frees the reservation (idempotent). */
  release: () => void;
  /** Adds what the request really cost to the member's `quotaUsed`. */
  charge: (cost: bigint) => void;
};

/** Return type of {@link createChatService}. */
export type CreateChatServiceReturnType = ReturnType<typeof createChatService>;

/**
 * The chat channel without its transport: Sign-In with Ethereum, sessions, the pass and quota
 * checks, rate limits, per-member history, and streaming turns through the injected responder.
 * {@link createChatServer} puts HTTP, SSE and WebSocket in front of it.
 *
 * @param parameters Chain, pass, memory, responder, limits.
 * @returns Functions the transports call; each refusal throws a {@link ChatApiError}.
 * @example
 * const chat = createChatService({ client, chainId, vault, pass: config.agent.pass, memory, responder, aprBps: () => 500 })
 */
export function createChatService(parameters: CreateChatServiceParameters) {
  const { client, chainId, vault, pass, memory, responder, reads } = parameters;
  const limits = parameters.limits ?? {};
  const ethPass = parameters.ethVault ? { ethVault: parameters.ethVault.vault } : {};
  const maxMessageChars = limits.maxMessageChars ?? 4000;
  const historyMessages = limits.historyMessages ?? 50;
  const decimals = parameters.decimals ?? 6;
  let origin = parameters.origin;
  const nonces = createNonceStore();
  const sessions = createSessionStore({ db: memory.db, ttlSeconds: limits.sessionTtlSeconds ?? 86_400 });
  const apiKeys = createApiKeyStore({ db: memory.db });
  const memberLimiter = createRateLimiter(limits.member ?? { capacity: 5, refillPerSecond: 0.5 });
  const networkLimiter = createRateLimiter(limits.network ?? { capacity: 60, refillPerSecond: 5 });

  const expectedOrigin = () => {
    if (!origin) throw new Error('createChatService: origin is not set yet');
    return origin;
  };
  const limit = (limiter: typeof memberLimiter, key: string, what: string) => {
    const wait = limiter.take(key);
    if (wait > 0) throw new RateLimitedError(`Too many requests from ${what}; try again in ${wait} s.`, { body: { retryAfterSeconds: wait } });
  };
  /** Quota reserved by replies in flight, per member (charged what they cost when they end). */
  const reserved = new Map<Address, bigint>();
  const reservedOf = (address: Address) => reserved.get(address) ?? 0n;
  const quotaOf = async (address: Address, enforce: boolean): Promise<ReadQuotaReturnType> => {
    const read = async () =>
      readQuota({
        client,
        vault,
        address,
        ...(parameters.ethVault ? { eth: parameters.ethVault } : {}),
        used: memory.members.get(address)?.quotaUsed ?? 0n,
        reserved: enforce ? reservedOf(address) : 0n,
        aprBps: await parameters.aprBps(),
        enforce,
        decimals,
        reads,
      });
    if (!reads) return read();
    try {
      return await read();
    } catch (error) {
      // A cached balance may be behind the yield accrued since: refuse only on what the chain says now.
      if (!(error instanceof QuotaExhaustedError)) throw error;
      reads.invalidate(address);
      return read();
    }
  };

  /**
   * The spending gate every paid surface shares (chat, member API, MCP, Telegram): rate, the pass on
   * chain now, then the quota, reserved with no await between check and reservation so concurrent
   * requests cannot overdraw it. The caller charges what the work cost, then releases.
   */
  const reserve = async (address: Address): Promise<QuotaReservation> => {
    limit(memberLimiter, address, 'you');
    await checkPass({ client, pass, vault, address, decimals, reads, ...ethPass });
    let room = 0n;
    // readQuota refuses (429) when nothing is left; a reply reserving meanwhile is seen on the next pass.
    while (room <= 0n) {
      const quota = await quotaOf(address, true);
      room = quota.balance - quota.used - reservedOf(address);
    }
    const budget = limits.maxReplyCost === undefined || limits.maxReplyCost > room ? room : limits.maxReplyCost;
    reserved.set(address, reservedOf(address) + budget);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = reservedOf(address) - budget;
      if (left > 0n) reserved.set(address, left);
      else reserved.delete(address);
    };
    return { budget, release, charge: (cost) => memory.members.addQuotaUsed(address, cost) };
  };

  return {
    /** Sets the expected sign-in domain and URI (once the server knows its port). */
    setOrigin: (value: { domain: string; uri: string }) => void (origin = value),
    /** What a client needs to build a sign-in message. */
    issueNonce: () => {
      const { domain, uri } = expectedOrigin();
      const { nonce, expiresAt } = nonces.issue();
      return { nonce, domain, uri, chainId, expiresAt: new Date(expiresAt).toISOString() };
    },
    /** Counts a request from a network address against its bucket. */
    limitNetwork: (networkAddress: string) => limit(networkLimiter, networkAddress, 'this network address'),
    /** Verifies a signed sign-in message and opens a session. */
    signIn: async (input: { message: unknown; signature: unknown }) => {
      if (typeof input.message !== 'string' || input.message.length > 4096) throw new ChatBadRequestError('`message` must be the EIP-4361 message text.');
      if (typeof input.signature !== 'string' || !/^0x[0-9a-fA-F]+$/.test(input.signature)) throw new ChatBadRequestError('`signature` must be a hex string.');
      const { domain, uri } = expectedOrigin();
      const { address } = await verifySignIn({ client, nonces, message: input.message, signature: input.signature as Hex, domain, uri, chainId });
      // No session for an address without the pass (it is checked again on every message).
      await checkPass({ client, pass, vault, address, decimals, ...ethPass });
      memory.members.touch(address);
      const { token, session } = sessions.create(address);
      return { token, address, expiresAt: session.expiresAt };
    },
    /** The session of a bearer token. */
    authenticate: (token: string | undefined): ChatSession & { token: string } => {
      const session = token ? sessions.get(token) : undefined;
      if (!token || !session) throw new UnauthenticatedError('Sign in first: no valid session token.');
      return { ...session, token };
    },
    /**
     * The member behind a bearer that is a session token or one of their API keys (the member API
     * and MCP accept both; managing keys takes a session).
     */
    authenticateMember: (token: string | undefined): { address: Address; via: 'session' | 'key' } => {
      if (token?.startsWith(apiKeyPrefix)) {
        const key = apiKeys.get(token);
        if (!key) throw new UnauthenticatedError('This API key is unknown or was revoked.', { details: 'Mint a new one after signing in: POST /api/keys.' });
        return { address: key.address, via: 'key' };
      }
      const session = token ? sessions.get(token) : undefined;
      if (!token || !session) throw new UnauthenticatedError('Send `Authorization: Bearer <session token or API key>`.', { details: 'Sign in with Ethereum (POST /api/siwe/verify), then mint a key: POST /api/keys.' });
      return { address: session.address, via: 'session' };
    },
    /** Mints an API key for a signed-in member (shown once). */
    mintKey: (address: Address, input: { label?: unknown }) => {
      const label = input.label === undefined ? 'api key' : input.label;
      if (typeof label !== 'string' || label.length > 64) throw new ChatBadRequestError('`label` must be a string of at most 64 characters.');
      const minted = apiKeys.mint(address, label);
      if (!minted) throw new ChatBadRequestError('You hold the most API keys allowed; revoke one first.');
      return { key: minted.key, ...minted.info };
    },
    /** The member's API keys (without the keys). */
    listKeys: (address: Address) => apiKeys.list(address),
    /** Revokes one of the member's API keys. */
    revokeKey: (address: Address, id: string) => {
      if (!apiKeys.revoke(address, id)) throw new ChatNotFoundError(`No API key ${id.slice(0, 40)} of yours.`);
    },
    /** Ends a session. */
    signOut: (token: string) => sessions.revoke(token),
    /** The member's pass and quota, without refusing. */
    status: async (address: Address) => {
      let passInfo: (CheckPassReturnType & { ok: true }) | { ok: false; reason: string };
      try {
        passInfo = { ok: true, ...(await checkPass({ client, pass, vault, address, decimals, ...ethPass })) };
      } catch (error) {
        passInfo = { ok: false, reason: error instanceof Error && 'shortMessage' in error ? String(error.shortMessage) : String(error) };
      }
      return { address, pass: passInfo, quota: await quotaOf(address, false) };
    },
    /** A member's conversations. */
    conversations: (address: Address) => memory.conversations.listByMember(address),
    /** Messages of one of the member's conversations. */
    messages: (address: Address, conversationId: number): Message[] => {
      const conversation = memory.conversations.get(conversationId);
      if (!conversation || conversation.member !== address) throw new ChatNotFoundError(`No conversation ${conversationId} of yours.`);
      return memory.conversations.recentMessages(conversationId, 200);
    },
    /** Checks rate, pass and quota and reserves the most one reply may cost (see `reserve`). */
    reserve,
    /** The member's quota now (not refusing). */
    quota: (address: Address) => quotaOf(address, false),
    /**
     * Checks a message (shape, rate, pass on chain now, quota) and returns the turn to stream.
     * Nothing is stored until it passes.
     */
    prepareTurn: async (address: Address, input: { content?: unknown; conversationId?: unknown }): Promise<ChatTurn> => {
      const { content, conversationId } = input;
      if (typeof content !== 'string' || content.trim() === '') throw new ChatBadRequestError('`content` must be a non-empty string.');
      if (content.length > maxMessageChars) throw new ChatBadRequestError(`The message is ${content.length} characters; at most ${maxMessageChars}.`);
      if (conversationId !== undefined && conversationId !== null && !(Number.isSafeInteger(conversationId) && (conversationId as number) > 0)) {
        throw new ChatBadRequestError('`conversationId` must be a positive integer.');
      }
      const { budget: reservation, release } = await reserve(address);
      let conversation: Conversation;
      try {
        if (typeof conversationId === 'number') {
          const found = memory.conversations.get(conversationId);
          if (!found || found.member !== address) throw new ChatNotFoundError(`No conversation ${conversationId} of yours.`);
          conversation = found;
        } else conversation = memory.conversations.create({ member: address, title: content.slice(0, 60) });
      } catch (error) {
        release();
        throw error;
      }
      const run = async (onToken: (text: string) => void, signal: AbortSignal): Promise<ChatTurnResult> => {
        try {
          return await runTurn(onToken, signal);
        } finally {
          release();
        }
      };
      const runTurn = async (onToken: (text: string) => void, signal: AbortSignal): Promise<ChatTurnResult> => {
        const history = memory.conversations.recentMessages(conversation.id, historyMessages);
        memory.conversations.addMessage({ conversationId: conversation.id, role: 'user', content });
        memory.members.touch(address);
        let text = '';
        let result;
        let reply: ReturnType<Responder['respond']> | undefined;
        try {
          reply = responder.respond({ member: address, conversationId: conversation.id, history, message: content, signal, budget: reservation });
          for await (const piece of reply.tokens) {
            text += piece;
            onToken(piece);
          }
          result = await reply.final;
        } catch (cause) {
          // Aborted or failed: the member still pays what the paid calls cost the agent, and no more.
          const charged = reply?.charged ? await reply.charged : 0n;
          if (charged > 0n) memory.members.addQuotaUsed(address, charged);
          throw new ReplyFailedError('The agent could not finish its reply.', { cause, details: shortReason(cause) });
        }
        if (reply.charged) result = { ...result, costUnits: await reply.charged };
        const message = memory.conversations.addMessage({
          conversationId: conversation.id,
          role: 'assistant',
          content: text,
          cost: result.costUnits,
          ...(result.tokensIn === undefined ? {} : { tokensIn: result.tokensIn }),
          ...(result.tokensOut === undefined ? {} : { tokensOut: result.tokensOut }),
        });
        memory.members.addQuotaUsed(address, result.costUnits);
        release();
        const { balance, used, remaining } = await quotaOf(address, false);
        return { conversationId: conversation.id, message, costUnits: result.costUnits, quota: { balance, used, remaining } };
      };
      return { member: address, conversation, run };
    },
  };
}

/** One line for the member: the cause's short message, without stack or paths. */
function shortReason(cause: unknown): string {
  const text = cause instanceof Error ? ('shortMessage' in cause && typeof cause.shortMessage === 'string' ? cause.shortMessage : cause.message) : String(cause);
  return firstLine(text, 200);
}
