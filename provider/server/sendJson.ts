import type { ServerResponse } from 'node:http';

/**
 * Sends a JSON body with a status and extra headers.
 *
 * @param res The response.
 * @param status HTTP status.
 * @param body Anything JSON-serializable (bigints must already be strings).
 * @param headers Extra headers.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
