import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFunctionData, parseUnits } from 'viem';
import { startAgent, type StartAgentReturnType } from '../../agent/daemon/startAgent.js';
import { silentLogger } from '../../core/Logger.js';
import { charterAbi } from '../../chain/abi/generated/charter.js';
import { readCharter } from '../../chain/governance/readCharter.js';
import { loadConfig } from '../../config/loadConfig.js';
import { UntrustedProviderError } from '../../guard/errors.js';
import { passProposal } from '../fixtures/passProposal.js';
import { startAgentWorld, type AgentWorld } from '../fixtures/startAgentWorld.js';
import { startProviderNode, type ProviderNode } from '../fixtures/startProviderNode.js';

// A charter change executed through the timelock (propose, vote, warp, queue, warp, execute) changes
// the running agent's next answer (the constitution reaches the system prompt) and its next treasury
// decision (a provider dropped from the trusted list is no longer paid; its channel is closed).
// Real anvil, alto (the agent acts with session user operations), provider node; scripted model.

let world: AgentWorld;
let provider: ProviderNode;
let agent: StartAgentReturnType;

const systemPromptOf = (request: { messages: { role: string; content?: unknown }[] } | undefined) => {
  const content = request?.messages.find((message) => message.role === 'system')?.content;
  return typeof content === 'string' ? content : ((content ?? []) as { text?: string }[]).map((part) => part.text ?? '').join('');
};

beforeAll(async () => {
  world = await startAgentWorld({ userop: true });
  provider = await startProviderNode(world);
  await world.warp(30 * 86_400); // yield to live on
  const config = loadConfig({ cwd: world.dir, env: {}, overrides: { dataDir: world.dir, chain: { transport: 'userop' } } as never });
  agent = await startAgent(config, {
    connection: { rpcUrl: world.devnet.anvil.rpcUrl, bundlerUrl: world.devnet.bundler?.bundlerUrl, deployment: world.deployment, sessionKeyPath: world.devnet.sessionKeyPath },
    chatPort: 0,
    healthPort: 0,
    log: silentLogger,
  });
  await agent.scheduler.jobs.treasury?.idle();
}, 240_000);

afterAll(async () => {
  await agent?.stop();
  await provider?.stop();
  await world?.stop();
});

const governance = () => {
  const found = world.deployment.governance;
  if (!found) throw new Error('the world has no governance');
  return found;
};
/** Votes a charter update through, then waits for the daemon to hear the CharterUpdated event. */
const changeCharter = async (description: string, change: (current: Awaited<ReturnType<typeof readCharter>>['current']) => { constitution: string; limits: typeof current.limits }) => {
  const { charter, governor } = governance();
  const { current } = await readCharter(world.publicClient, { charter });
  const next = change(current);
  const calldata = encodeFunctionData({ abi: charterAbi, functionName: 'update', args: [next.constitution, next.limits] });
  await passProposal({ publicClient: world.publicClient, rpcUrl: world.devnet.anvil.rpcUrl, governor, proposal: { targets: [charter], values: [0n], calldatas: [calldata], description } });
  const deadline = Date.now() + 15_000;
  while (agent.charter.current().version !== current.version + 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(agent.charter.current().version).toBe(current.version + 1);
};

describe('a charter change voted through the timelock', () => {
  it('v1: the agent trusts the charter seed, buys compute and answers under constitution v1', async () => {
    expect(agent.charter.current()).toMatchObject({ source: 'chain', version: 1, trustedProviders: [world.provider] });
    expect(agent.guard.policy.trustedProviders).toEqual([world.provider]);
    expect(agent.memory.channels.listOpen()).toHaveLength(1);
    provider.model.push({ content: 'Hello from version one.' });
    const answer = await agent.brain.ask([{ role: 'user', content: 'who are you?' }]);
    expect(answer.text).toBe('Hello from version one.');
    expect(systemPromptOf(provider.model.requests.at(-1))).toContain(agent.charter.current().constitution);
  });

  it('a new constitution reaches the next answer', { timeout: 120_000 }, async () => {
    const constitution = 'You are Ada, the community agent. Always answer in French.';
    const before = agent.charter.current().constitution;
    await changeCharter('Ada speaks French', (current) => ({ constitution, limits: current.limits }));
    provider.model.push({ content: 'Bonjour.' });
    const answer = await agent.brain.ask([{ role: 'user', content: 'who are you?' }]);
    expect(answer.text).toBe('Bonjour.');
    const prompt = systemPromptOf(provider.model.requests.at(-1));
    expect(prompt).toContain(constitution);
    expect(prompt).not.toContain(before);
  });

  it('a provider dropped from the trusted list is no longer paid: the next treasury tick closes its channel', { timeout: 120_000 }, async () => {
    const channel = agent.memory.channels.listOpen()[0];
    expect(channel?.provider).toBe(world.provider);
    // Under v2 the treasury keeps the channel (nothing to close).
    await agent.scheduler.jobs.treasury?.tick();
    expect(agent.memory.ledger.listRecent(50, 'request_close')).toEqual([]);
    await agent.guard.check({ action: 'top_up', channelId: channel?.channelId ?? 0n, amount: parseUnits('1', 6) });

    await changeCharter('Stop paying the local provider', (current) => ({ constitution: current.constitution, limits: { ...current.limits, trustedProviders: [] } }));
    expect(agent.guard.policy.trustedProviders).toEqual([]);
    await expect(agent.guard.check({ action: 'open', provider: world.provider, amount: parseUnits('1', 6) })).rejects.toBeInstanceOf(UntrustedProviderError);
    await expect(agent.guard.check({ action: 'top_up', channelId: channel?.channelId ?? 0n, amount: parseUnits('1', 6) })).rejects.toBeInstanceOf(UntrustedProviderError);

    await agent.scheduler.jobs.treasury?.tick();
    const closes = agent.memory.ledger.listRecent(50, 'request_close');
    expect(closes).toHaveLength(1);
    expect(closes[0]).toMatchObject({ status: 'confirmed' });
    expect(closes[0]?.reason).toMatch(/is not trusted/);
    expect(agent.memory.ledger.listRecent(50, 'open_channel').filter((entry) => entry.status !== 'failed')).toHaveLength(1); // only v1's
    // Wanting compute no trusted provider can sell, the agent asks its community to trust one again.
    const asks = agent.memory.ledger.listRecent(50, 'propose');
    expect(asks).toHaveLength(1);
    expect(asks[0]).toMatchObject({ status: 'confirmed', reason: expect.stringContaining(`no trusted provider can sell compute; ${world.provider}`) });
  });
});
