import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWalletClient, decodeFunctionData, http, isAddressEqual, keccak256, parseAbiItem, toHex, type Address, type Hex } from 'viem';
import { foundry } from 'viem/chains';
import { startAgent, type StartAgentReturnType } from '../../agent/daemon/startAgent.js';
import type { RegistrationFile } from '../../agent/identity/buildRegistrationFile.js';
import { silentLogger } from '../../core/Logger.js';
import { agentAccountAbi } from '../../chain/abi/generated/agentAccount.js';
import { charterAbi } from '../../chain/abi/generated/charter.js';
import { reputationRegistryAbi } from '../../chain/abi/generated/reputationRegistry.js';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import { registerProviderIdentity } from '../../provider/register/registerProviderIdentity.js';
import { identityRegistryAbi } from '../../chain/abi/generated/identityRegistry.js';
import { ActionNotAllowedError } from '../../guard/errors.js';
import { startAgentWorld, type AgentWorld } from '../fixtures/startAgentWorld.js';
import { configFor } from '../fixtures/treasuryContextFor.js';

// ERC-8004 end to end on the devnet world: the bootstrap registered the agent (its TBA owns the
// identity and was proved as agentWallet through its ERC-1271), the daemon publishes its
// registration file at start, the file resolves to the live endpoints, and a charter update
// republishes it.

let world: AgentWorld;
let agent: StartAgentReturnType | undefined;

beforeAll(async () => {
  world = await startAgentWorld();
});
afterAll(async () => {
  await agent?.stop();
  await world.stop();
});

const start = () =>
  startAgent(configFor(world), {
    connection: { rpcUrl: world.devnet.anvil.rpcUrl, deployment: world.deployment, sessionKeyPath: world.devnet.sessionKeyPath },
    chatPort: 0,
    healthPort: 0,
    runTreasuryOnStart: false,
    log: silentLogger,
  });

/** The registration file the chain points at (decoded from its data: URI). */
async function onChainFile(): Promise<{ uri: string; file: RegistrationFile }> {
  const { erc8004, agent: bootstrapped } = world.deployment;
  if (!erc8004 || bootstrapped.agentId === undefined) throw new Error('the world has no ERC-8004 identity');
  const uri = await world.publicClient.readContract({ address: erc8004.identityRegistry, abi: identityRegistryAbi, functionName: 'tokenURI', args: [BigInt(bootstrapped.agentId)] });
  const prefix = 'data:application/json;base64,';
  expect(uri.startsWith(prefix)).toBe(true);
  return { uri, file: JSON.parse(Buffer.from(uri.slice(prefix.length), 'base64').toString('utf8')) as RegistrationFile };
}

describe('ERC-8004 identity', () => {
  it('bootstrap: the TBA owns its identity and was proved as agentWallet through its ERC-1271', async () => {
    const { erc8004, agent: bootstrapped } = world.deployment;
    expect(erc8004).toBeDefined();
    expect(bootstrapped.agentId).toBeDefined();
    const registry = erc8004!.identityRegistry;
    const agentId = BigInt(bootstrapped.agentId!);
    const read = world.publicClient.readContract;
    expect(await read({ address: registry, abi: identityRegistryAbi, functionName: 'ownerOf', args: [agentId] })).toBe(bootstrapped.tba);
    expect(await read({ address: registry, abi: identityRegistryAbi, functionName: 'getAgentWallet', args: [agentId] })).toBe(bootstrapped.tba);
    // Two agentWallet writes: the owner default at register(), then the signed proof (setAgentWallet).
    const walletWrites = await world.publicClient.getLogs({
      address: registry,
      event: parseAbiItem('event MetadataSet(uint256 indexed agentId, string indexed indexedMetadataKey, string metadataKey, bytes metadataValue)'),
      args: { agentId, indexedMetadataKey: 'agentWallet' as never },
      fromBlock: 0n,
    });
    expect(walletWrites.map((log) => log.args.metadataValue)).toEqual([bootstrapped.tba.toLowerCase(), bootstrapped.tba.toLowerCase()]);
    const proof = await world.publicClient.getTransaction({ hash: walletWrites[1]!.transactionHash });
    // That proof went through the TBA: execute(registry, 0, setAgentWallet(agentId, tba, deadline, signature)).
    const outer = decodeFunctionData({ abi: agentAccountAbi, data: proof.input });
    expect(outer.functionName).toBe('execute');
    const [target, , inner] = outer.args as readonly [Address, bigint, Hex, number];
    expect(target).toBe(registry);
    const call = decodeFunctionData({ abi: identityRegistryAbi, data: inner });
    expect(call.functionName).toBe('setAgentWallet');
    expect(call.args?.[1]).toBe(bootstrapped.tba);
  });

  it('the daemon publishes its registration file, which resolves to its live endpoints', async () => {
    agent = await start();
    const result = await agent.identity.lastPublish();
    expect(result?.published).toBe(true);
    const { file } = await onChainFile();
    const { erc8004, agent: bootstrapped } = world.deployment;
    expect(file.type).toBe('https://eips.ethereum.org/EIPS/eip-8004#registration-v1');
    expect(file.registrations).toEqual([{ agentId: Number(bootstrapped.agentId), agentRegistry: `eip155:31337:${erc8004!.identityRegistry}` }]);
    const endpoint = (name: string) => file.endpoints.find((entry) => entry.name === name)?.endpoint;
    expect(endpoint('agentWallet')).toBe(`eip155:31337:${bootstrapped.tba}`);
    expect(endpoint('web')).toBe(agent.chatUrl);
    expect(endpoint('MCP')).toBe(`${agent.chatUrl}/mcp`);
    expect(file.charter?.address).toBe(world.deployment.governance?.charter);
    expect(file.charter?.version).toBe(1);

    // Resolving: the web endpoint is the live agent (its config names the TBA of the agentWallet)...
    const live = await (await fetch(`${endpoint('web')}/api/config`)).json();
    expect(live.agent).toBe(bootstrapped.tba);
    // ...and serves the same file at the ERC's well-known path (endpoint domain verification).
    const served = await fetch(`${endpoint('web')}/.well-known/agent-registration.json`);
    expect(served.status).toBe(200);
    expect(served.headers.get('access-control-allow-origin')).toBe('*');
    expect(await served.json()).toEqual(file);
    const entry = agent.memory.ledger.listRecent(5, 'publish_identity')[0];
    expect(entry?.status).toBe('confirmed');
  });

  it('a charter update republishes the file with the new version and hash', async () => {
    if (!agent) throw new Error('no agent');
    const charter = world.deployment.governance!.charter;
    const timelock = world.deployment.governance!.timelock;
    const read = world.publicClient.readContract;
    const limits = await read({ address: charter, abi: charterAbi, functionName: 'limits' });
    // The timelock is the charter's only writer: the test acts as it (what an executed proposal does).
    await world.publicClient.request({ method: 'anvil_impersonateAccount' as never, params: [timelock] as never });
    await world.publicClient.request({ method: 'anvil_setBalance' as never, params: [timelock, toHex(10n ** 18n)] as never });
    const asTimelock = createWalletClient({ chain: foundry, transport: http(world.devnet.anvil.rpcUrl), account: timelock as Address });
    const constitution = 'Be frugal. Rate your providers honestly.';
    const hash = await asTimelock.writeContract({ address: charter, abi: charterAbi, functionName: 'update', args: [constitution, limits] });
    await world.publicClient.waitForTransactionReceipt({ hash });
    const deadline = Date.now() + 20_000;
    let file = (await onChainFile()).file;
    while (file.charter?.version !== 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await agent.identity.lastPublish();
      file = (await onChainFile()).file;
    }
    expect(file.charter?.version).toBe(2);
    expect(file.charter?.constitutionHash).toBe(keccak256(toHex(constitution)));
    expect(agent.identity.file()).toEqual(file);
  });

  it('a restart with the same endpoints sends nothing; the guard refuses another agent id', async () => {
    if (!agent) throw new Error('no agent');
    const port = Number(new URL(agent.chatUrl).port);
    await agent.stop();
    agent = await startAgent(configFor(world), {
      connection: { rpcUrl: world.devnet.anvil.rpcUrl, deployment: world.deployment, sessionKeyPath: world.devnet.sessionKeyPath },
      chatPort: port,
      healthPort: 0,
      runTreasuryOnStart: false,
      log: silentLogger,
    });
    expect(await agent.identity.lastPublish()).toMatchObject({ published: false, why: 'unchanged' });
    const other = BigInt(world.deployment.agent.agentId!) + 1n;
    await expect(agent.guard.execute({ action: 'publish_identity', agentId: other, uri: 'https://evil.example/agent.json' }, { reason: 'test', origin: 'llm' })).rejects.toBeInstanceOf(ActionNotAllowedError);
    await expect(agent.guard.execute({ action: 'publish_identity', agentId: other - 1n, uri: `data:,${'x'.repeat(5_000)}` }, { reason: 'test', origin: 'llm' })).rejects.toBeInstanceOf(ActionNotAllowedError);
    expect(isAddressEqual((await onChainFile()).file.endpoints.find((e) => e.name === 'agentWallet')!.endpoint.split(':')[2] as Address, world.deployment.agent.tba)).toBe(true);
  });

  it("the daemon's settle job rates the provider it paid, on the provider's own ERC-8004 identity", async () => {
    if (!agent) throw new Error('no agent');
    const providerClient = createWalletClient({ chain: foundry, transport: http(world.devnet.anvil.rpcUrl), account: devAccount(devRoles.provider).account, pollingInterval: 100 });
    const { agentId: providerAgentId } = await registerProviderIdentity(providerClient, { identityRegistry: world.deployment.erc8004!.identityRegistry, agentURI: 'http://127.0.0.1:1/y2c/info' });
    await world.warp(30 * 86_400);
    expect(await agent.scheduler.jobs.treasury?.tick()).toBe('ran');
    expect(agent.memory.channels.listOpen().length).toBeGreaterThan(0);
    expect(await agent.scheduler.jobs.settle?.tick()).toBe('ran');
    expect(agent.memory.jobRuns.lastRun('settle')?.ok).toBe(true);
    expect(agent.memory.ledger.listRecent(5, 'rate_provider')[0]?.status).toBe('confirmed');
    const [value, , tag1, tag2] = await world.publicClient.readContract({
      address: world.deployment.erc8004!.reputationRegistry,
      abi: reputationRegistryAbi,
      functionName: 'readFeedback',
      args: [providerAgentId, world.deployment.agent.tba, 1n],
    });
    // No calls yet and redemptions match: full marks.
    expect([value, tag1, tag2]).toEqual([100n, 'y2c.audit', 'ledger-match']);
  });
});
