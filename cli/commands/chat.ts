import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Account, Chain, Transport, WalletClient } from 'viem';
import { WebSocket } from 'ws';
import { SignInRefusedError, signInWithEthereum, type SignInWithEthereumReturnType } from '../../agent/chat/signInWithEthereum.js';
import { AgentError } from '../../core/AgentError.js';

/** Parameters of {@link chat}. */
export type ChatParameters = {
  /** The agent's chat server, e.g. `http://127.0.0.1:8788` (config `agent.chat`). */
  url: string;
  /** Who signs in: a key file or a devnet dev account (cli/connect.ts `userWallet`). */
  walletClient: WalletClient<Transport, Chain, Account>;
  /** Lines to send (default stdin); each non-empty line is one message. */
  input?: Readable;
  /** Where replies stream (default stdout). */
  output?: Writable;
  /** Send just this message, print the reply and return (non-interactive). */
  message?: string;
};

/** What {@link chat} did. */
export type ChatReturnType = {
  address: string;
  replies: number;
  costUnits: bigint;
  /** The text of each reply, in order. */
  texts: string[];
};

/** A chat request the agent refused (401/403/429/400…), with its explanation. */
export class ChatRefusedError extends AgentError {
  override name = 'ChatRefusedError' as const;
}

type Frame = { type: string; text?: string; conversationId?: number; costUnits?: string; status?: number; error?: { message: string; details?: string } };

/**
 * `y2c chat`: signs in to the agent with Sign-In with Ethereum, then sends each input line over
 * the WebSocket and streams the reply token by token. `/new` starts a new conversation, `/quit`
 * (or end of input) leaves.
 *
 * @param parameters Server URL, wallet, streams, optional one-shot message.
 * @returns The address, how many replies were received and what they cost.
 * @throws {ChatRefusedError} When sign-in is refused, or (one-shot) the message is refused.
 * @example await chat({ url: 'http://127.0.0.1:8788', walletClient: userWallet(cfg, connection, { devAccountIndex: 4 }) })
 */
export async function chat(parameters: ChatParameters): Promise<ChatReturnType> {
  const { url, walletClient } = parameters;
  const output = parameters.output ?? process.stdout;
  const base = url.replace(/\/$/, '');
  let session: SignInWithEthereumReturnType;
  try {
    session = await signInWithEthereum({ baseUrl: base, walletClient });
  } catch (error) {
    if (!(error instanceof SignInRefusedError)) throw error;
    // Refused at sign-in (no pass, bad signature): say why, as for a refused message (one-shot: the
    // thrown error is printed once by the CLI).
    if (parameters.message === undefined) output.write(`\n[${error.details?.replace(/^HTTP /, '') ?? '?'}] ${error.shortMessage}\n`);
    throw new ChatRefusedError(error.shortMessage, { cause: error });
  }

  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/ws`);
  const frames: Frame[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  ws.on('message', (raw) => {
    frames.push(JSON.parse(raw.toString()) as Frame);
    wake?.();
  });
  ws.on('close', () => {
    closed = true;
    wake?.();
  });
  const next = async (): Promise<Frame> => {
    for (;;) {
      const frame = frames.shift();
      if (frame) return frame;
      if (closed) throw new ChatRefusedError('The agent closed the connection.');
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', (cause) => reject(new ChatRefusedError(`Cannot open ${base}/api/ws.`, { cause })));
  });
  ws.send(JSON.stringify({ type: 'auth', token: session.token }));
  const ready = await next();
  if (ready.type !== 'ready') throw new ChatRefusedError(ready.error?.message ?? 'The agent refused the session.');

  let conversationId: number | undefined;
  let replies = 0;
  let costUnits = 0n;
  const texts: string[] = [];
  const ask = async (content: string): Promise<Frame> => {
    ws.send(JSON.stringify({ type: 'message', content, ...(conversationId === undefined ? {} : { conversationId }) }));
    for (;;) {
      const frame = await next();
      if (frame.type === 'start') {
        conversationId = frame.conversationId;
        output.write('agent> ');
      } else if (frame.type === 'token') output.write(frame.text ?? '');
      else if (frame.type === 'done') {
        replies++;
        costUnits += BigInt(frame.costUnits ?? '0');
        texts.push(frame.text ?? '');
        output.write('\n');
        return frame;
      } else if (frame.type === 'error') {
        // One-shot: the refusal is thrown and printed once by the CLI; interactive: shown and the chat goes on.
        if (parameters.message === undefined) output.write(`\n[${frame.status}] ${[frame.error?.message, frame.error?.details].filter(Boolean).join(' ')}\n`);
        return frame;
      }
    }
  };

  try {
    if (parameters.message !== undefined) {
      const answer = await ask(parameters.message);
      if (answer.type === 'error') throw new ChatRefusedError(answer.error?.message ?? 'The agent refused the message.', { details: answer.error?.details });
    } else {
      output.write(`signed in as ${session.address}; type a message, /new for a new conversation, /quit to leave\n`);
      const lines = createInterface({ input: parameters.input ?? process.stdin, terminal: false });
      for await (const line of lines) {
        const text = line.trim();
        if (text === '/quit') break;
        if (text === '/new') {
          conversationId = undefined;
          output.write('(new conversation)\n');
          continue;
        }
        if (text) await ask(text);
      }
    }
  } finally {
    ws.close();
  }
  return { address: session.address, replies, costUnits, texts };
}
