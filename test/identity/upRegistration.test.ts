import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, http, type Address, type PublicClient } from 'viem';
import { foundry } from 'viem/chains';
import { afterAll, describe, expect, it } from 'vitest';
import type { RegistrationFile } from '../../agent/identity/buildRegistrationFile.js';
import { identityRegistryAbi } from '../../chain/abi/generated/identityRegistry.js';
import type { Deployment } from '../../chain/deploy/deployment.js';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import { findAgentIdOf } from '../../chain/identity/findAgentIdOf.js';
import { startUp, type StartUpReturnType } from '../fixtures/startUp.js';

// Issue 15's "done when" for ERC-8004: from a fresh `y2c up` (what `npm start` runs), the agent's
// registration in the identity registry resolves to its live endpoints.

const dataDir = mkdtempSync(join(tmpdir(), 'y2c-up-8004-'));
let up: StartUpReturnType | undefined;

afterAll(async () => {
  await up?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a fresh y2c up', () => {
  it('registers the agent in ERC-8004; the registration resolves to the live chat, its TBA and the provider has an identity too', async () => {
    up = await startUp({ Y2C_DATA_DIR: dataDir });
    const deployment = JSON.parse(readFileSync(join(dataDir, 'deployment.json'), 'utf8')) as Deployment;
    const { rpcUrl } = JSON.parse(readFileSync(join(dataDir, 'runtime.json'), 'utf8')) as { rpcUrl: string };
    const publicClient = createPublicClient({ chain: foundry, transport: http(rpcUrl) }) as PublicClient;
    const registry = deployment.erc8004?.identityRegistry as Address;
    const agentId = BigInt(deployment.agent?.agentId ?? 'x');
    const chatUrl = up.url('chat + page');

    // The daemon publishes at start, right after the chat server listens.
    const prefix = 'data:application/json;base64,';
    let uri = '';
    for (const deadline = Date.now() + 30_000; !uri.startsWith(prefix) && Date.now() < deadline; ) {
      uri = await publicClient.readContract({ address: registry, abi: identityRegistryAbi, functionName: 'tokenURI', args: [agentId] });
      if (!uri.startsWith(prefix)) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(uri.startsWith(prefix), up.output()).toBe(true);
    const file = JSON.parse(Buffer.from(uri.slice(prefix.length), 'base64').toString('utf8')) as RegistrationFile;
    const endpoint = (name: string) => file.endpoints.find((entry) => entry.name === name)?.endpoint;
    expect(endpoint('web')).toBe(chatUrl);
    expect(endpoint('MCP')).toBe(`${chatUrl}/mcp`);
    expect(endpoint('agentWallet')).toBe(`eip155:31337:${deployment.agent?.tba}`);
    expect(await publicClient.readContract({ address: registry, abi: identityRegistryAbi, functionName: 'getAgentWallet', args: [agentId] })).toBe(deployment.agent?.tba);
    const live = (await (await fetch(`${endpoint('web')}/api/config`)).json()) as { agent: string };
    expect(live.agent).toBe(deployment.agent?.tba);
    expect(await (await fetch(`${endpoint('web')}/.well-known/agent-registration.json`)).json()).toEqual(file);
    expect(file.charter?.address).toBe(deployment.governance?.charter);
    // The provider `y2c up` started can be rated: it registered an identity of its own.
    expect(await findAgentIdOf(publicClient, { identityRegistry: registry, owner: devAccount(devRoles.provider).account.address })).toBeDefined();
  });
});
