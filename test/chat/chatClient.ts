/** Test helpers that speak the chat API like a client would: SIWE over HTTP, SSE, WebSocket. */
import { WebSocket } from 'ws';
import type { LocalAccount } from 'viem';
import { createSiweMessage, type SiweMessage } from 'viem/siwe';

/** A sign-in message for `url`'s server, fresh nonce, overridable field by field. */
export async function siweFor(url: string, account: LocalAccount, overrides: Partial<SiweMessage> = {}) {
  const nonce = (await (await fetch(`${url}/api/siwe/nonce`)).json()) as { nonce: string; domain: string; uri: string; chainId: number };
  const now = Date.now();
  const message = createSiweMessage({
    address: account.address,
    domain: nonce.domain,
    uri: nonce.uri,
    chainId: nonce.chainId,
    nonce: nonce.nonce,
    version: '1',
    statement: 'Sign in to chat with the y2c agent.',
    issuedAt: new Date(now),
    expirationTime: new Date(now + 10 * 60_000),
    ...overrides,
  });
  return { message, signature: await account.signMessage({ message }), nonce: nonce.nonce };
}

/** POSTs a signed message to /api/siwe/verify. */
export async function verify(url: string, body: { message: string; signature: string }) {
  const response = await fetch(`${url}/api/siwe/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as { token?: string; address?: string; error?: { code: string; message: string } } };
}

/** Signs in and returns the session token. */
export async function signIn(url: string, account: LocalAccount): Promise<string> {
  const { status, body } = await verify(url, await siweFor(url, account));
  if (status !== 200 || !body.token) throw new Error(`sign-in failed: ${status} ${JSON.stringify(body)}`);
  return body.token;
}

/** One SSE chat request: the status, and for 200 the parsed events. */
export async function chatSse(url: string, token: string | undefined, body: unknown) {
  const response = await fetch(`${url}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (response.headers.get('content-type') !== 'text/event-stream') {
    return { status: response.status, error: ((await response.json()) as { error: Record<string, unknown> & { code: string } }).error, events: [] };
  }
  const events: Array<{ event: string; data: Record<string, unknown> }> = [];
  const text = await response.text();
  for (const block of text.split('\n\n')) {
    const event = /^event: (.+)$/m.exec(block)?.[1];
    const data = /^data: (.+)$/m.exec(block)?.[1];
    if (event && data) events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
  }
  return { status: response.status, error: undefined, events };
}

/** A WebSocket to /api/ws with a queue of received frames. */
export async function openSocket(url: string) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/ws`);
  const frames: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (raw) => {
    frames.push(JSON.parse(raw.toString()) as Record<string, unknown>);
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  /** Waits for the next frame matching `predicate`, consuming frames up to it; returns every consumed frame. */
  const until = async (predicate: (frame: Record<string, unknown>) => boolean, timeoutMs = 30_000) => {
    const seen: Array<Record<string, unknown>> = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (frames.length) {
        const frame = frames.shift()!;
        seen.push(frame);
        if (predicate(frame)) return seen;
      }
      if (Date.now() > deadline) throw new Error(`no matching frame; saw ${JSON.stringify(seen)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  };
  return { ws, send: (frame: unknown) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)), until, close: () => ws.close() };
}
