import type { IncomingMessage } from 'node:http';
import { HttpError } from './HttpError.js';

/**
 * Reads a request body up to a size, refusing larger ones early (by `content-length`) or as soon as
 * the limit is passed.
 *
 * @param req The request.
 * @param maxBytes The largest body accepted.
 * @returns The body text.
 * @throws {HttpError} 413 `body_too_large`.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const tooLarge = () => new HttpError(413, 'invalid_request_error', 'body_too_large', `The request body is larger than ${maxBytes} bytes.`);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
