/**
 * x402's response headers minus the content ones (`sendJson` sets those for the body it sends).
 *
 * @param headers Headers from the x402 server.
 * @returns The same without `content-type` and `content-length`.
 * @example withoutContentHeaders({ 'PAYMENT-REQUIRED': 'e30', 'Content-Type': 'application/json' }) // { 'PAYMENT-REQUIRED': 'e30' }
 */
export function withoutContentHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !/^content-(type|length)$/i.test(name)));
}
