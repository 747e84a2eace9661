import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keccak256, toBytes } from 'viem';
import { startAgent, type StartAgentReturnType } from '../../agent/daemon/startAgent.js';
import { silentLogger } from '../../core/Logger.js';
import { charterAbi } from '../../chain/abi/generated/charter.js';
import { devRoles } from '../../devnet/devAccounts.js';
import { writeRuntime } from '../../cli/runtime.js';
import { loadConfig } from '../../config/loadConfig.js';
import { runCli } from '../fixtures/runCli.js';
import { startTestDevnet, type TestDevnet } from '../fixtures/startTestDevnet.js';

// Members govern a self-owned agent from the terminal: propose a charter change, vote, warp,
// queue, warp, execute; the running daemon picks the new charter up from its event.

let devnet: TestDevnet;
let agent: StartAgentReturnType;
let env: Record<string, string>;
const small = devRoles.firstStaker; // 1000 USDx
const large = devRoles.firstStaker + 2; // 5000 USDx of 8500: above the 4% quorum alone
const constitution = 'You are y2c. Answer in one sentence, and keep two days of compute funded.';

type Status = {
  charter: { version: number; constitution: string; constitutionHash: string; limits: { runwayTargetHours: number } };
  history: unknown[];
  proposals: { id: string; state: string; votes: { for: string; against: string }; quorum: string; member?: { votingPower: string; hasVoted: boolean } }[];
};
const cli = async (args: string[]) => {
  const result = await runCli(args, env);
  if (result.code !== 0) throw new Error(`y2c ${args.join(' ')} failed: ${result.stderr}`);
  return result;
};
const status = async (account = small) => JSON.parse((await cli(['gov', 'status', '--json', '--dev-account', String(account)])).stdout) as Status;

beforeAll(async () => {
  devnet = await startTestDevnet({ bundler: false });
  writeRuntime(devnet.dataDir, { pid: process.pid, rpcUrl: devnet.anvil.rpcUrl, startedAt: new Date().toISOString() });
  env = { Y2C_DATA_DIR: devnet.dataDir };
  const config = loadConfig({ cwd: devnet.dataDir, env: {}, overrides: { dataDir: devnet.dataDir, chain: { transport: 'direct' } } as never });
  agent = await startAgent(config, { connection: { rpcUrl: devnet.anvil.rpcUrl, bundlerUrl: devnet.bundler?.bundlerUrl, deployment: devnet.deployment, sessionKeyPath: devnet.sessionKeyPath, publicClient: devnet.publicClient }, chatPort: 0, healthPort: 0, log: silentLogger, runTreasuryOnStart: false });
});

afterAll(async () => {
  await agent?.stop();
  await devnet?.dispose();
});

describe('y2c gov', () => {
  it('status shows charter v1 as the daemon reads it, and no proposals', async () => {
    const s = await status();
    expect(s.charter.version).toBe(1);
    expect(s.history).toHaveLength(1);
    expect(s.proposals).toEqual([]);
    expect(agent.charter.current()).toMatchObject({ source: 'chain', version: 1, constitutionHash: s.charter.constitutionHash });
    const health = (await (await fetch(agent.healthUrl)).json()) as { charter: { version: number } };
    expect(health.charter.version).toBe(1);
  });

  // About 18 CLI processes (each a fresh node + tsx): minutes on a loaded machine, so a wide bound.
  it('propose, vote, warp, queue, warp, execute: the charter changes and the daemon follows', { timeout: 480_000 }, async () => {
    const proposed = JSON.parse(
      (await cli(['gov', 'propose', '--json', '--dev-account', String(small), '--description', 'Two days of runway, shorter answers', '--constitution', constitution, '--runway-hours', '48'])).stdout,
    ) as { id: string; gasUsed: string };
    expect((await status()).proposals[0]).toMatchObject({ id: proposed.id, state: 'pending' });

    await cli(['warp', '0.01']); // past the 5-minute voting delay
    const voted = JSON.parse((await cli(['gov', 'vote', proposed.id, 'for', '--json', '--dev-account', String(large), '--reason', 'yes'])).stdout) as { weight: string; gasUsed: string };
    expect(voted.weight).toBe('5000000000');
    await cli(['gov', 'vote', proposed.id, 'against', '--dev-account', String(small)]);
    const twice = await runCli(['gov', 'vote', proposed.id, 'for', '--dev-account', String(small)], env);
    expect(twice.code).not.toBe(0);
    expect(twice.stderr).toMatch(/GovernorAlreadyCastVote/);
    const active = (await status(small)).proposals[0];
    expect(active).toMatchObject({ state: 'active', votes: { for: '5000000000', against: '1000000000' }, quorum: '340000000', member: { votingPower: '1000000000', hasVoted: true } });

    // Queueing before the vote ends is refused, and sends nothing.
    expect((await runCli(['gov', 'queue', proposed.id], env)).code).not.toBe(0);
    await cli(['warp', '1.01']);
    expect((await status()).proposals[0]?.state).toBe('succeeded');
    const queued = JSON.parse((await cli(['gov', 'queue', proposed.id, '--json'])).stdout) as { gasUsed: string };
    expect((await status()).proposals[0]?.state).toBe('queued');
    expect((await runCli(['gov', 'execute', proposed.id], env)).code).not.toBe(0); // the timelock's day has not passed
    await cli(['warp', '1.01']);
    const executed = JSON.parse((await cli(['gov', 'execute', proposed.id, '--json'])).stdout) as { gasUsed: string };
    console.log(`gas: propose ${proposed.gasUsed}, first vote ${voted.gasUsed}, queue ${queued.gasUsed}, execute (charter update) ${executed.gasUsed}`);

    const after = await status();
    expect(after.proposals[0]?.state).toBe('executed');
    expect(after.charter).toMatchObject({ version: 2, constitution, constitutionHash: keccak256(toBytes(constitution)), limits: { runwayTargetHours: 48 } });
    expect(after.history).toHaveLength(2);
    const onChain = await devnet.publicClient.readContract({ address: devnet.deployment.governance?.charter ?? '0x', abi: charterAbi, functionName: 'version' });
    expect(onChain).toBe(2n);

    // The daemon heard the CharterUpdated event (no restart, no re-read on the hot path).
    const deadline = Date.now() + 10_000;
    while (agent.charter.current().version !== 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(agent.charter.current()).toMatchObject({ version: 2, constitution, runwayTargetHours: 48 });
    const health = (await (await fetch(agent.healthUrl)).json()) as { charter: { version: number; constitutionHash: string } };
    expect(health.charter).toMatchObject({ version: 2, constitutionHash: keccak256(toBytes(constitution)) });
  });

  it('refuses a vote on an unknown proposal with a clear message', async () => {
    const result = await runCli(['gov', 'vote', '12345', 'for'], env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/No proposal 12345/);
    const bad = await runCli(['gov', 'vote', '12345', 'maybe'], env);
    expect(bad.stderr).toMatch(/Vote "for", "against" or "abstain"/);
  });
});
