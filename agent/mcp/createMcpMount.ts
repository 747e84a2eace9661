import type { IncomingMessage } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Address } from 'viem';
import type { ChatMountFactory } from '../chat/ChatMount.js';
import { ChatBadRequestError } from '../chat/errors.js';
import { createMcpServer, type CreateMcpServerParameters } from './createMcpServer.js';

/** Parameters of {@link createMcpMount}. */
export type CreateMcpMountParameters = Omit<CreateMcpServerParameters, 'chat' | 'member'> & {
  /** Where it is served (default `/mcp`). */
  path?: string;
  /** Largest request body, bytes (default 64 KiB). */
  maxBodyBytes?: number;
};

/**
 * Serves the agent's MCP server over Streamable HTTP at a path of the chat server (stateless: one
 * server per request, so nothing is kept between calls and a revoked key is refused at once).
 * `Authorization: Bearer <session token or API key>` makes the caller a member (their tools are
 * listed); no bearer: only the public read tools; a bad bearer: 401.
 *
 * @param parameters What the tools read, and the path.
 * @returns A mount for `createChatServer({ mounts })`.
 * @example createChatServer({ ...params, mounts: [createMcpMount({ client, chainId, vault, token, tokenInfo, memory, governor })] })
 */
export function createMcpMount(parameters: CreateMcpMountParameters): ChatMountFactory {
  const path = parameters.path ?? '/mcp';
  const maxBodyBytes = parameters.maxBodyBytes ?? 65_536;
  return (context) => {
    const open = new Set<{ close: () => Promise<void> }>();
    return {
      handle: async (req, res, url) => {
        if (url.pathname !== path) return false;
        try {
          context.chat.limitNetwork(req.socket.remoteAddress ?? 'unknown');
          const token = context.bearer(req);
          const member: Address | undefined = token === undefined ? undefined : context.chat.authenticateMember(token).address;
          if (req.method !== 'POST') {
            // Stateless: no server-initiated stream (GET) and no session to end (DELETE).
            context.sendJson(res, 405, { jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: POST JSON-RPC messages.' }, id: null }, { allow: 'POST' });
            return true;
          }
          const body = await readBody(req, maxBodyBytes);
          const server = createMcpServer({ ...parameters, chat: context.chat, member });
          const transport = new StreamableHTTPServerTransport({});
          const handle = { close: async () => void (await server.close()) };
          open.add(handle);
          res.on('close', () => {
            open.delete(handle);
            void server.close();
          });
          await server.connect(transport);
          await transport.handleRequest(req, res, body);
        } catch (error) {
          context.report(error);
          context.sendError(res, error);
        }
        return true;
      },
      close: async () => {
        for (const handle of open) await handle.close();
      },
    };
  };
}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new ChatBadRequestError(`The body is over ${maxBytes} bytes.`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new ChatBadRequestError('The body must be JSON-RPC.');
  }
}
