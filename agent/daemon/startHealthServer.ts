import { createServer } from 'node:http';
import { listenServer } from '../../config/listenServer.js';
import { jsonReplacer } from '../../core/jsonReplacer.js';

/** Parameters of {@link startHealthServer}. */
export type StartHealthServerParameters = {
  host: string;
  /** 0 for a free port. */
  port: number;
  /** The body of GET /health; `ok: false` answers 503. */
  report: () => Record<string, unknown> & { ok: boolean };
};

/** A running health endpoint. */
export type StartHealthServerReturnType = { url: string; stop: () => Promise<void> };

/**
 * Serves `GET /health` as JSON (200 when ok, 503 otherwise); everything else is 404.
 *
 * @param parameters Where to listen and what to report.
 * @returns Its URL and `stop`.
 * @example const health = await startHealthServer({ host: '127.0.0.1', port: 0, report: () => ({ ok: true }) })
 */
export async function startHealthServer(parameters: StartHealthServerParameters): Promise<StartHealthServerReturnType> {
  const server = createServer((request, response) => {
    request.on('error', () => undefined);
    response.on('error', () => undefined);
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/health') {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    let body: Record<string, unknown> & { ok: boolean };
    try {
      body = parameters.report();
    } catch (error) {
      body = { ok: false, error: String(error) };
    }
    const json = JSON.stringify(body, jsonReplacer);
    response.writeHead(body.ok ? 200 : 503, { 'content-type': 'application/json' }).end(json);
  });
  const { port } = await listenServer(server, { port: parameters.port, host: parameters.host, option: 'agent.chat.port (health listens on the next port)' });
  return {
    url: `http://${parameters.host}:${port}/health`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
