import type { Readable, Writable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

/** Parameters of {@link serveMcpStdio}. */
export type ServeMcpStdioParameters = {
  /** The agent's MCP endpoint, e.g. `http://127.0.0.1:8788/mcp`. */
  url: string;
  /** A member's API key or session token; without it only the public read tools are served. */
  bearer?: string | undefined;
  /** Default process.stdin / process.stdout. */
  input?: Readable;
  output?: Writable;
};

/** Return type of {@link serveMcpStdio}. */
export type ServeMcpStdioReturnType = { close: () => Promise<void>; closed: Promise<void> };

/**
 * `y2c mcp`: the agent's MCP server for local clients (Claude Desktop and the like) over stdio. It
 * is a bridge to the running agent's Streamable HTTP endpoint, so a tool runs where the agent's
 * brain, quota and channels are, under the member's bearer: tools are listed and called there, and
 * `ask_agent`'s progress notifications are relayed to the local client as they arrive.
 *
 * @param parameters The endpoint, the bearer, the streams.
 * @returns `close()` and a promise settled when the client goes away.
 * @example await serveMcpStdio({ url: 'http://127.0.0.1:8788/mcp', bearer: process.env.Y2C_API_KEY })
 */
export async function serveMcpStdio(parameters: ServeMcpStdioParameters): Promise<ServeMcpStdioReturnType> {
  const remote = new Client({ name: 'y2c-mcp-stdio', version: '0.1.0' });
  await remote.connect(
    new StreamableHTTPClientTransport(new URL(parameters.url), parameters.bearer ? { requestInit: { headers: { authorization: `Bearer ${parameters.bearer}` } } } : {}),
  );
  const server = new Server({ name: 'y2c-agent', version: '0.1.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, (request) => remote.listTools(request.params));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const progressToken = request.params._meta?.progressToken;
    return remote.callTool(request.params, undefined, {
      signal: extra.signal,
      // Long answers stream: each piece resets the timeout.
      resetTimeoutOnProgress: true,
      ...(progressToken === undefined
        ? {}
        : { onprogress: (progress) => void extra.sendNotification({ method: 'notifications/progress', params: { ...progress, progressToken } }).catch(() => undefined) }),
    });
  });
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  server.onclose = () => {
    void remote.close();
    resolveClosed();
  };
  await server.connect(new StdioServerTransport(parameters.input ?? process.stdin, parameters.output ?? process.stdout));
  return {
    close: async () => {
      await server.close();
      await remote.close();
    },
    closed,
  };
}
