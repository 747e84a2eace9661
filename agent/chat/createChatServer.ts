import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { isAddress, type Address } from 'viem';
import { WebSocketServer, type WebSocket } from 'ws';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import { createChatService, type CreateChatServiceParameters, type ChatTurnResult } from './createChatService.js';
import { ChatApiError, ChatBadRequestError, ChatForbiddenError, ChatNotFoundError } from './errors.js';
import { proxyRpc } from './proxyRpc.js';
import { readGovernance } from './readGovernance.js';
import { readTreasury } from './readTreasury.js';
import type { ChatMount, ChatMountFactory } from './ChatMount.js';
import { listenServer } from '../../config/listenServer.js';
import { jsonReplacer } from '../../core/jsonReplacer.js';
import { sendJson } from '../../core/sendJson.js';

/** Parameters of {@link createChatServer}. */
export type CreateChatServerParameters = Omit<CreateChatServiceParameters, 'memory' | 'origin'> & {
  /** The agent's memory (ledger, calls and channels feed the dashboard). */
  memory: OpenAgentMemoryReturnType;
  /** The payment token. */
  token: Address;
  /** Token symbol and decimals shown on the page. */
  tokenInfo?: { symbol: string; decimals: number };
  /** The agent's token-bound account. */
  agent?: Address;
  /** Interface (config `agent.chat.host`, default 127.0.0.1). */
  host?: string;
  /** Port (config `agent.chat.port`; 0 or omitted: a free one). */
  port?: number;
  /** Public origin when behind a proxy (e.g. `https://chat.example`); default `http://host:port`. */
  publicOrigin?: string;
  /** Folder of the built page (agent/web/dist); the page routes 404 when absent. */
  webRoot?: string;
  /** Local devnet only: JSON-RPC URL proxied at `POST /rpc` for the page's dev accounts. */
  devnetRpcUrl?: string;
  /** The agent's community (self-owned agents): serves `GET /api/governance` for the Governance tab. */
  governance?: { governor: Address; charter: Address; timelock: Address };
  /** Largest HTTP body and WebSocket frame, bytes (default 64 KiB). */
  maxBodyBytes?: number;
  /** A WebSocket that has not sent a valid `auth` frame by then is closed (code 4401), ms (default 10 s). */
  authTimeoutMs?: number;
  /** Surfaces served on the same port, tried in order before the chat routes (member API, MCP…). */
  mounts?: readonly ChatMountFactory[];
  /** The agent's ERC-8004 registration file, served at `GET /.well-known/agent-registration.json` (404 while undefined). */
  registrationFile?: () => unknown;
  /** Receives unexpected failures (5xx), e.g. the daemon's pino logger. */
  log?: { error: (message: string, fields: Record<string, unknown>) => void };
};

/** A running chat server. */
export type CreateChatServerReturnType = {
  /** `http://host:port`. */
  url: string;
  port: number;
  server: Server;
  chat: ReturnType<typeof createChatService>;
  /** Closes sockets and the server. */
  close: () => Promise<void>;
};

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/**
 * Starts the chat channel: the HTTP API (sign-in, sessions, SSE chat, conversations, treasury,
 * ledger), the WebSocket chat at `/api/ws`, and the web page at `/`. See agent/chat/README.md for
 * the contract.
 *
 * @param parameters Chain, pass, memory, responder, where to listen, the page folder.
 * @returns URL, server, the chat service, `close()`.
 * @example
 * const chat = await createChatServer({ client, chainId, vault, token, pass: config.agent.pass, memory, responder, aprBps: () => 500, host: config.agent.chat.host, port: config.agent.chat.port, webRoot: 'agent/web/dist' })
 */
export async function createChatServer(parameters: CreateChatServerParameters): Promise<CreateChatServerReturnType> {
  const { memory, webRoot } = parameters;
  const maxBodyBytes = parameters.maxBodyBytes ?? 65_536;
  const chat = createChatService(parameters);
  const token = parameters.tokenInfo ?? { symbol: 'USDx', decimals: parameters.decimals ?? 6 };
  const streams = new Set<AbortController>();
  const report = (error: unknown) => {
    if (error instanceof ChatApiError && error.status < 500) return;
    parameters.log?.error('chat request failed', { error: error instanceof Error ? error.message : String(error), cause: error instanceof Error ? String(error.cause ?? '') : '' });
  };

  let ownUrl = '';
  const mounts: ChatMount[] = (parameters.mounts ?? []).map((mount) =>
    mount({ chat, readJson: (req) => readJson(req, maxBodyBytes), sendJson, sendError, report, bearer, url: () => ownUrl }),
  );

  const authTimeoutMs = parameters.authTimeoutMs ?? 10_000;
  // Known once the server listens: the page's own origins (public, and the address it listens on).
  const own = { hosts: new Set<string>(), origins: new Set<string>() };
  /** A browser request from another site (its Origin) or a rebinding name (its Host) is refused. */
  const foreign = (req: IncomingMessage): string | undefined => {
    const origin = req.headers.origin;
    if (origin !== undefined && !own.origins.has(origin)) return `origin ${origin.slice(0, 100)}`;
    const host = req.headers.host;
    if (host !== undefined && !own.hosts.has(host.toLowerCase())) return `host ${host.slice(0, 100)}`;
    return undefined;
  };

  const server = createServer((req, res) => {
    // A peer that resets mid-request must not raise an unhandled 'error'.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    route(req, res).catch((error: unknown) => {
      report(error);
      sendError(res, error);
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    socket.destroy();
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxBodyBytes });
  wss.on('error', (error) => report(error));
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    if (pathOf(req) !== '/api/ws') return socket.destroy();
    if (foreign(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return socket.destroy();
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, req));
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path.startsWith('/api/')) chat.limitNetwork(req.socket.remoteAddress ?? 'unknown');
    for (const mount of mounts) if (await mount.handle(req, res, url)) return;
    if (method === 'GET' && path === '/api/config') {
      return sendJson(res, 200, {
        chainId: parameters.chainId,
        vault: parameters.vault,
        token: parameters.token,
        tokenSymbol: token.symbol,
        decimals: token.decimals,
        agent: parameters.agent ?? null,
        pass: parameters.pass.kind === 'stake' ? { kind: 'stake', minStake: parameters.pass.minStake.toString() } : { kind: 'erc721', token: parameters.pass.token },
        devnet: parameters.devnetRpcUrl !== undefined,
        rpc: parameters.devnetRpcUrl === undefined ? null : '/rpc',
        governance: parameters.governance ?? null,
      });
    }
    if (method === 'GET' && path === '/.well-known/agent-registration.json') {
      const file = parameters.registrationFile?.();
      if (file === undefined) throw new ChatNotFoundError('The agent has no ERC-8004 registration yet.');
      // Public: any agent or indexer reads it (ERC-8004 endpoint domain verification).
      return sendJson(res, 200, file, { 'access-control-allow-origin': '*' });
    }
    if (method === 'GET' && path === '/api/governance') {
      if (!parameters.governance) throw new ChatNotFoundError('This agent has no community governance: it is owned by a key.');
      const member = url.searchParams.get('member') ?? undefined;
      if (member !== undefined && !isAddress(member)) throw new ChatBadRequestError(`member must be an 0x address, got "${member.slice(0, 60)}".`);
      return sendJson(res, 200, toJsonSafe(await readGovernance({ client: parameters.client, governance: parameters.governance, member: member as Address | undefined })));
    }
    if (method === 'GET' && path === '/api/siwe/nonce') return sendJson(res, 200, chat.issueNonce());
    if (method === 'POST' && path === '/api/siwe/verify') {
      const body = await readJson(req, maxBodyBytes);
      return sendJson(res, 200, await chat.signIn({ message: body.message, signature: body.signature }));
    }
    if (method === 'GET' && path === '/api/treasury') {
      return sendJson(res, 200, await readTreasury({ client: parameters.client, vault: parameters.vault, token: parameters.token, agent: parameters.agent, memory }));
    }
    if (method === 'GET' && path === '/api/ledger') {
      const limit = Math.min(Math.max(Number(url.searchParams.get('limit') ?? 50) || 50, 1), 500);
      return sendJson(res, 200, { entries: memory.ledger.listRecent(limit).map(toJsonSafe) });
    }
    if (method === 'POST' && path === '/rpc' && parameters.devnetRpcUrl) {
      chat.limitNetwork(req.socket.remoteAddress ?? 'unknown');
      const why = foreign(req);
      if (why) throw new ChatForbiddenError(`The devnet RPC proxy serves the page only, not ${why}.`);
      return proxyRpc(req, res, { rpcUrl: parameters.devnetRpcUrl, maxBodyBytes });
    }
    if (path.startsWith('/api/')) {
      const session = chat.authenticate(bearer(req));
      if (method === 'POST' && path === '/api/signout') {
        chat.signOut(session.token);
        return sendJson(res, 200, { ok: true });
      }
      if (path === '/api/keys' || path.startsWith('/api/keys/')) {
        // Keys are managed with a sign-in session only: a leaked key cannot mint or revoke others.
        if (method === 'POST' && path === '/api/keys') return sendJson(res, 201, chat.mintKey(session.address, await readJson(req, maxBodyBytes)));
        if (method === 'GET' && path === '/api/keys') return sendJson(res, 200, { keys: chat.listKeys(session.address) });
        const id = /^\/api\/keys\/([A-Za-z0-9_-]{1,64})$/.exec(path)?.[1];
        if (method === 'DELETE' && id) {
          chat.revokeKey(session.address, id);
          return sendJson(res, 200, { ok: true, revoked: id });
        }
      }
      if (method === 'GET' && path === '/api/me') return sendJson(res, 200, toJsonSafe(await chat.status(session.address)));
      if (method === 'GET' && path === '/api/conversations') return sendJson(res, 200, { conversations: chat.conversations(session.address) });
      const messages = /^\/api\/conversations\/(\d+)\/messages$/.exec(path);
      if (method === 'GET' && messages) return sendJson(res, 200, { messages: chat.messages(session.address, Number(messages[1])).map(toJsonSafe) });
      if (method === 'POST' && path === '/api/chat') return streamSse(res, session.address, await readJson(req, maxBodyBytes));
      throw new ChatNotFoundError(`No route ${method} ${path}.`);
    }
    if (method === 'GET' && webRoot) return serveStatic(res, webRoot, path);
    throw new ChatNotFoundError(`No route ${method} ${path}.`);
  }

  async function streamSse(res: ServerResponse, address: Address, body: Record<string, unknown>): Promise<void> {
    const turn = await chat.prepareTurn(address, { content: body.content, conversationId: body.conversationId });
    const controller = new AbortController();
    streams.add(controller);
    res.on('close', () => controller.abort());
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const event = (name: string, data: unknown) => res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    event('start', { conversationId: turn.conversation.id });
    try {
      const result = await turn.run((text) => event('token', { text }), controller.signal);
      event('done', doneBody(result));
    } catch (error) {
      report(error);
      event('error', errorBody(error));
    } finally {
      streams.delete(controller);
      res.end();
    }
  }

  function serveSocket(ws: WebSocket, req: IncomingMessage): void {
    let address: Address | undefined;
    let busy = false;
    const controller = new AbortController();
    streams.add(controller);
    const send = (data: unknown) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(data));
    // Bad frames (oversize, invalid UTF-8, reserved opcodes) surface here; the socket is closed by ws.
    ws.on('error', () => ws.terminate());
    req.socket.on('error', () => ws.terminate());
    const authTimer = setTimeout(() => {
      if (!address) ws.close(4401, 'authenticate first');
    }, authTimeoutMs);
    ws.on('close', () => {
      clearTimeout(authTimer);
      controller.abort();
      streams.delete(controller);
    });
    ws.on('message', (raw) => {
      handle(raw.toString()).catch((error: unknown) => {
        report(error);
        send({ type: 'error', ...errorBody(error) });
      });
    });
    async function handle(text: string): Promise<void> {
      chat.limitNetwork(req.socket.remoteAddress ?? 'unknown');
      let frame: Record<string, unknown>;
      try {
        const parsed: unknown = JSON.parse(text);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        frame = parsed as Record<string, unknown>;
      } catch {
        throw new ChatBadRequestError('Frames must be JSON objects.');
      }
      const id = typeof frame.id === 'string' ? frame.id.slice(0, 64) : undefined;
      if (frame.type === 'auth') {
        address = chat.authenticate(typeof frame.token === 'string' ? frame.token : undefined).address;
        return void send({ type: 'ready', address });
      }
      if (frame.type !== 'message') throw new ChatBadRequestError('Unknown frame type; expected "auth" or "message".');
      try {
        if (!address) address = chat.authenticate(undefined).address;
        if (busy) throw new ChatBadRequestError('Wait for the current reply to finish.');
        busy = true;
        try {
          const turn = await chat.prepareTurn(address, { content: frame.content, conversationId: frame.conversationId });
          send({ type: 'start', id, conversationId: turn.conversation.id });
          const result = await turn.run((piece) => send({ type: 'token', id, text: piece }), controller.signal);
          send({ type: 'done', id, ...doneBody(result) });
        } finally {
          busy = false;
        }
      } catch (error) {
        report(error);
        send({ type: 'error', id, ...errorBody(error) });
      }
    }
  }

  const { port } = await listenServer(server, { port: parameters.port ?? 0, host: parameters.host ?? '127.0.0.1', option: 'agent.chat.port' });
  const host = parameters.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  ownUrl = url;
  const publicUrl = new URL(parameters.publicOrigin ?? url);
  chat.setOrigin({ domain: publicUrl.host, uri: publicUrl.origin });
  const loopback = host === '127.0.0.1' || host === '::1' || host === 'localhost' || host === '0.0.0.0' || host === '::';
  for (const name of [new URL(url).host, publicUrl.host, ...(loopback ? [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`] : [])]) {
    own.hosts.add(name.toLowerCase());
    own.origins.add(`${publicUrl.protocol}//${name}`);
    own.origins.add(`http://${name}`);
  }
  own.origins.add(publicUrl.origin);

  return {
    url,
    port,
    server,
    chat,
    close: async () => {
      for (const mount of mounts) await mount.close?.();
      for (const controller of streams) controller.abort();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function doneBody(result: ChatTurnResult) {
  return {
    conversationId: result.conversationId,
    messageId: result.message.id,
    text: result.message.content,
    costUnits: result.costUnits.toString(),
    quota: { balance: result.quota.balance.toString(), used: result.quota.used.toString(), remaining: result.quota.remaining.toString() },
  };
}

function errorBody(error: unknown) {
  if (error instanceof ChatApiError) {
    return { status: error.status, error: { code: error.code, message: error.shortMessage, ...(error.details ? { details: error.details } : {}), ...error.body } };
  }
  return { status: 500, error: { code: 'internal', message: 'Internal error.' } };
}

function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) return void res.end();
  const { status, error: body } = errorBody(error);
  sendJson(res, status, { error: body }, body.code === 'rate_limited' || body.code === 'quota_exhausted' ? retryAfter(body) : {});
}

function retryAfter(body: Record<string, unknown>): Record<string, string> {
  const seconds = body.retryAfterSeconds;
  return typeof seconds === 'number' ? { 'retry-after': String(seconds) } : {};
}

function pathOf(req: IncomingMessage): string | undefined {
  try {
    return new URL(req.url ?? '/', 'http://x').pathname;
  } catch {
    return undefined;
  }
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

async function readJson(req: IncomingMessage, maxBytes: number): Promise<Record<string, unknown>> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new ChatBadRequestError(`The body is ${declared} bytes; at most ${maxBytes}.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new ChatBadRequestError(`The body is over ${maxBytes} bytes.`);
    chunks.push(chunk as Buffer);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ChatBadRequestError('The body must be JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ChatBadRequestError('The body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

function serveStatic(res: ServerResponse, root: string, path: string): void {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path === '/' ? '/index.html' : path);
  } catch {
    throw new ChatBadRequestError('The path has a malformed % escape.');
  }
  const relative = normalize(decoded).replace(/^([/\\])+/, '');
  const file = join(root, relative);
  if (!file.startsWith(normalize(root) + sep) || !existsSync(file) || !statSync(file).isFile()) throw new ChatNotFoundError(`No file ${path}.`);
  const body = readFileSync(file);
  res.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream', 'content-length': body.length });
  res.end(body);
}

/** bigints → decimal strings, for JSON. */
function toJsonSafe<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, jsonReplacer));
}
