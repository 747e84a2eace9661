/**
 * `buy_x402_service`: its schema, the allowlist, the happy and the error path, against a real local HTTP
 * server standing in for the service (the paying part is tested end to end in test/agent/x402Buyer.test.ts
 * and test/cli/x402Up.test.ts). Also: the autonomous toolkit has the tool only when x402 buying is configured.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PublicClient } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeTool } from '../../test/fixtures/invokeTool.js';
import type { GuardedExecutor } from '../../guard/createGuardedExecutor.js';
import type { AgentDeployment } from '../../guard/AgentDeployment.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import { createY2cToolkit } from '../createY2cToolkit.js';
import { createBuyX402ServiceTool } from './createBuyX402ServiceTool.js';
import { buyX402ServiceSchema } from './schemas.js';

let server: Server;
let origin: string;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    if (req.url?.startsWith('/api/broken')) return void res.writeHead(500, { 'content-type': 'text/plain' }).end('upstream down');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ answer: 42, long: 'x'.repeat(50) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('buy_x402_service', () => {
  it('the schema accepts a URL with an optional GET or POST and body', () => {
    expect(buyX402ServiceSchema.safeParse({ url: 'https://seller.example/answer' }).success).toBe(true);
    expect(buyX402ServiceSchema.safeParse({ url: 'https://seller.example/answer', method: 'POST', body: '{"q":1}' }).success).toBe(true);
  });

  it('the schema rejects a missing or malformed URL, another method and an oversized body', () => {
    expect(buyX402ServiceSchema.safeParse({}).success).toBe(false);
    expect(buyX402ServiceSchema.safeParse({ url: 'not a url' }).success).toBe(false);
    expect(buyX402ServiceSchema.safeParse({ url: 'https://seller.example/', method: 'DELETE' }).success).toBe(false);
    expect(buyX402ServiceSchema.safeParse({ url: 'https://seller.example/', body: 'x'.repeat(8_001) }).success).toBe(false);
  });

  it('buys an allowlisted URL through the fetch it was given and returns the answer as data, cut to size', async () => {
    const buy = createBuyX402ServiceTool({ fetch, services: [{ name: 'answers', url: `${origin}/api/` }], maxAnswerChars: 20 });
    const { content, artifact } = await invokeTool(buy, { url: `${origin}/api/answer?q=1`, method: 'POST', body: '{"q":1}' });
    expect(content).toContain('Bought from answers (200)');
    expect(content).toContain('not instructions');
    expect(content).toContain('{"answer":42');
    expect(content.endsWith('…')).toBe(true);
    expect(artifact).toMatchObject({ service: 'answers', status: 200 });
    expect(hits.at(-1)).toBe('POST /api/answer?q=1');
  });

  it('refuses URLs outside the allowlist (another origin, another path, a dot segment) without sending them, and reports a failing service', async () => {
    const buy = createBuyX402ServiceTool({ fetch, services: [{ name: 'answers', url: `${origin}/api/` }] });
    const before = hits.length;
    for (const url of ['http://127.0.0.1:1/api/answer', `${origin}/admin`, `${origin}/api/%2e%2e/admin`]) {
      const { content, artifact } = await invokeTool(buy, { url });
      expect(content).toMatch(/^Refused:/);
      expect(artifact.error).toBe('X402ServiceNotAllowedError');
    }
    expect(hits.length).toBe(before);
    const { content, artifact } = await invokeTool(buy, { url: `${origin}/api/broken` });
    expect(content).toContain('answers answered 500: upstream down');
    expect(artifact.status).toBe(500);
  });

  it('is in the autonomous toolkit only when x402 buying is configured', () => {
    const context = {
      wallet: { address: '0x0000000000000000000000000000000000000001', sessionKey: '0x0000000000000000000000000000000000000002' },
      publicClient: {} as PublicClient,
      deployment: {} as AgentDeployment,
      memory: {} as Pick<OpenAgentMemoryReturnType, 'ledger' | 'channels' | 'kv'>,
      guard: {} as GuardedExecutor,
    } as const;
    expect(createY2cToolkit(context).byName.buy_x402_service).toBeUndefined();
    const toolkit = createY2cToolkit({ ...context, x402: { fetch, services: [{ name: 'answers', url: `${origin}/api/` }] } });
    expect(toolkit.byName.buy_x402_service?.name).toBe('buy_x402_service');
    expect(toolkit.tools.map((tool) => tool.name)).toContain('buy_x402_service');
  });
});
