import type { ServerResponse } from 'node:http';

/**
 * Sends a JSON body with a status and extra headers (never cached: every y2c JSON answer is live state).
 *
 * @param res The response.
 * @param status HTTP status.
 * @param body Anything JSON-serializable (bigints must already be strings).
 * @param headers Extra headers.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(text);
}
