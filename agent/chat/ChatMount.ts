import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CreateChatServiceReturnType } from './createChatService.js';

/** What the chat server lends a mounted surface (member API, MCP, Telegram link routes). */
export type ChatMountContext = {
  /** The chat service: authentication, the spending gate (`reserve`), quota, turns. */
  chat: CreateChatServiceReturnType;
  /** Reads a JSON object body (64 KiB cap); throws `ChatBadRequestError`. */
  readJson: (req: IncomingMessage) => Promise<Record<string, unknown>>;
  /** Sends a JSON response. */
  sendJson: (res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>) => void;
  /** Sends a refusal as `{ error: { code, message, … } }` with its status. */
  sendError: (res: ServerResponse, error: unknown) => void;
  /** Logs an unexpected (5xx) failure. */
  report: (error: unknown) => void;
  /** The `Authorization: Bearer` value, if any. */
  bearer: (req: IncomingMessage) => string | undefined;
  /** The server's own URL once it listens (`http://host:port`). */
  url: () => string;
};

/** A surface mounted on the chat server's port. */
export type ChatMount = {
  /** Serves the request when it is one of the mount's routes (resolves true), else resolves false. */
  handle: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
  /** Ends what the mount keeps open (streams, sessions). */
  close?: () => Promise<void>;
};

/** Builds a mount once the chat service exists (`createChatServer({ mounts: [factory] })`). */
export type ChatMountFactory = (context: ChatMountContext) => ChatMount;
