import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatEther, formatUnits } from 'viem';
import { agentAccountAbi } from '../../chain/abi/generated/agentAccount.js';
import { usdxAbi } from '../../chain/abi/generated/usdx.js';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import { writeRuntime } from '../../cli/runtime.js';
import type { AgentStatus } from '../../cli/commands/status.js';
import { runCli } from '../fixtures/runCli.js';
import { startTestDevnet, type TestDevnet } from '../fixtures/startTestDevnet.js';

let devnet: TestDevnet;
let env: Record<string, string>;
const staker = devAccount(devRoles.firstStaker).account.address;

beforeAll(async () => {
  devnet = await startTestDevnet({ bundler: false });
  // What `y2c up` writes; this test process plays the running `up`.
  writeRuntime(devnet.dataDir, { pid: process.pid, rpcUrl: devnet.anvil.rpcUrl, startedAt: new Date().toISOString() });
  env = { Y2C_DATA_DIR: devnet.dataDir };
});

afterAll(async () => {
  await devnet?.dispose();
});

/** The chain's view of "nothing was sent". */
async function chainMark() {
  const [block, nonce] = await Promise.all([
    devnet.publicClient.getBlockNumber({ cacheTime: 0 }), // viem caches it otherwise
    devnet.publicClient.getTransactionCount({ address: staker }),
  ]);
  return { block, nonce };
}

describe('bad input: a clear message, a non-zero exit, nothing sent', () => {
  const cases: { name: string; args: string[]; env?: Record<string, string>; message: RegExp }[] = [
    { name: 'non-numeric amount', args: ['stake', 'abc'], message: /Invalid amount "abc": it is not a plain decimal number/ },
    { name: 'negative amount', args: ['stake', '-5'], message: /Invalid amount "-5": it is negative/ },
    { name: 'too many decimals', args: ['stake', '1.1234567'], message: /Invalid amount "1.1234567": it has 7 decimals, at most 6 allowed/ },
    { name: 'unstake with a bad amount', args: ['unstake', '1e3'], message: /Invalid amount "1e3"/ },
    { name: 'unknown network', args: ['stake', '1'], env: { Y2C_NETWORK: 'mars' }, message: /Invalid config option "network": got "mars" \(from Y2C_NETWORK\)/ },
    {
      name: 'real network without an RPC URL',
      args: ['stake', '1'],
      env: { Y2C_NETWORK: 'base-sepolia' },
      message: /Missing config option "chain\.rpcUrl".*\n[\s\S]*Y2C_RPC_URL/,
    },
    { name: 'warp with a bad number', args: ['warp', 'abc'], message: /warp takes a number of days between 0 and 3650, got "abc"/ },
    { name: 'warp backwards', args: ['warp', '-1'], message: /warp takes a number of days between 0 and 3650, got "-1"/ },
    { name: 'warp of zero days', args: ['warp', '0'], message: /warp takes a number of days between 0 and 3650, got "0"/ },
    { name: 'unstake while locked', args: ['unstake', '1'], message: /The stake of 0x[0-9a-fA-F]{40} is locked until \d{4}-/ },
    { name: 'unstake more than staked', args: ['unstake', '1000000'], message: /Cannot unstake 1000000: 0x[0-9a-fA-F]{40} has 1000 staked/ },
    {
      name: 'stake over the faucet cap',
      args: ['stake', '99999999999'],
      message: /^error: Cannot stake 99999999999 USDx: 0x[0-9a-fA-F]{40} holds 0 and the devnet faucet gives at most 1000000 USDx at a time\.\n\nStake at most 1000000, or stake in several smaller steps/,
    },
    { name: 'ledger of an unknown kind', args: ['ledger', '--kind', 'bogus'], message: /^error: Unknown kind "bogus": use one of harvest, open_channel, top_up/ },
    { name: 'ledger with a limit that is not a number', args: ['ledger', '-n', 'abc'], message: /^error: --limit takes a positive whole number, got "abc"\./ },
  ];

  for (const { name, args, env: extra = {}, message } of cases) {
    it(name, async () => {
      const before = await chainMark();
      const result = await runCli(args, { ...env, ...extra });
      expect(result.stderr).toMatch(/^error: /);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
      expect(result.code).not.toBe(0);
      expect(result.stdout).toBe('');
      expect(await chainMark()).toEqual(before);
    });
  }

  it('a real network with an RPC but no staker key', async () => {
    const before = await chainMark();
    const result = await runCli(['stake', '1'], {
      ...env,
      Y2C_NETWORK: 'base-sepolia',
      Y2C_RPC_URL: devnet.anvil.rpcUrl,
      Y2C_TRANSPORT: 'direct',
      Y2C_AGENT_NFT: devnet.deployment.agentNft,
      Y2C_ACCOUNT_IMPLEMENTATION: devnet.deployment.accountImplementation,
      Y2C_VAULT: devnet.deployment.agent.vault,
      Y2C_MARKET: devnet.deployment.computeMarket,
      Y2C_PAYMENT_TOKEN: devnet.deployment.usdx,
      Y2C_YIELD_SOURCE: devnet.deployment.susdx,
    });
    expect(result.stderr).toMatch(/^error: /);
    expect(result.stderr).toMatch(/No key to act with[\s\S]*Y2C_STAKER_KEY/);
    expect(result.code).not.toBe(0);
    expect(await chainMark()).toEqual(before);
  });

  it('deploy refuses an RPC that serves another chain than the network, sending nothing', async () => {
    const before = await chainMark();
    const result = await runCli(['deploy'], {
      ...env,
      Y2C_NETWORK: 'base-sepolia',
      Y2C_RPC_URL: devnet.anvil.rpcUrl,
      Y2C_TRANSPORT: 'direct',
      Y2C_OWNER_KEY: `0x${'ab'.repeat(32)}`,
    });
    expect(result.stderr).toMatch(/^error: The RPC serves chain 31337, but network "base-sepolia" is chain 84532/);
    expect(result.code).not.toBe(0);
    expect(await chainMark()).toEqual(before);
  });

  it('the same command with good input does send (so the checks above can fail)', async () => {
    const before = await chainMark();
    const result = await runCli(['stake', '1.5', '--json'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // --json amounts are decimal strings in the token (issue 11 item 8; was raw units '1001500000').
    expect(JSON.parse(result.stdout)).toMatchObject({ staker, amount: '1.5', principal: '1001.5', symbol: 'USDx', unlocksAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    const after = await chainMark();
    expect(after.nonce).toBeGreaterThan(before.nonce);
  });
});

describe('status --json', () => {
  it('parses and matches the chain', async () => {
    const result = await runCli(['status', '--json'], env);
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout) as AgentStatus;
    const { publicClient, deployment } = devnet;
    const { tba, vault, sessionKey } = deployment.agent;
    const read = publicClient.readContract;
    const [owner, [, grantedBy, active], tvl, principal, stakers, tbaToken, tbaEth] = await Promise.all([
      read({ address: tba, abi: agentAccountAbi, functionName: 'owner' }),
      read({ address: tba, abi: agentAccountAbi, functionName: 'getSession', args: [sessionKey] }),
      read({ address: vault, abi: yieldVaultAbi, functionName: 'totalValue' }),
      read({ address: vault, abi: yieldVaultAbi, functionName: 'totalPrincipal' }),
      read({ address: vault, abi: yieldVaultAbi, functionName: 'stakerCount' }),
      read({ address: deployment.usdx, abi: usdxAbi, functionName: 'balanceOf', args: [tba] }),
      publicClient.getBalance({ address: tba }),
    ]);
    expect(status).toMatchObject({
      chainId: 31337,
      tba,
      owner,
      tokenId: '1',
      session: { key: sessionKey, active, grantedBy, tokenBudget: '100' },
      vault: { address: vault, tvl: formatUnits(tvl, 6), totalPrincipal: formatUnits(principal, 6), stakers: stakers.toString() },
      balances: { tbaToken: formatUnits(tbaToken, 6), tbaEth: formatEther(tbaEth) },
    });
    expect(active).toBe(true);
    expect(status.vault.totalPrincipal).toBe('8501.5');
    expect(status.symbol).toBe('USDx');
    // Only the RPC is running here (this test plays `y2c up` with a devnet alone).
    expect(status.endpoints).toEqual({ rpc: devnet.anvil.rpcUrl });
  });

  it('prints amounts with their symbol and where the world answers', async () => {
    const result = await runCli(['status'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/TVL\s+[0-9.]+ USDx \(principal [0-9.]+ USDx, \d+ stakers\)/);
    expect(result.stdout).toMatch(/pending yield\s+[0-9.]+ USDx \(harvested so far [0-9.]+ USDx\)/);
    expect(result.stdout).toMatch(/balances\s+TBA [0-9.]+ USDx, [0-9.]+ ETH; session key [0-9.]+ ETH/);
    expect(result.stdout).toContain(`chain RPC       ${devnet.anvil.rpcUrl}`);
    expect(result.stdout).toMatch(/chat \+ page\s+not running/);
  });
});

describe('units and help', () => {
  it('session show speaks in tokens, ETH and function names, not raw units and selectors', async () => {
    const result = await runCli(['session', 'show'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/token budget USDx \(0x[0-9a-fA-F]{40}\): 100 USDx per period/);
    expect(result.stdout).toMatch(/ETH spent 0\/[0-9.]+ ETH/);
    expect(result.stdout).toMatch(/may call USDx \(0x[0-9a-fA-F]{40}\) approve\(address,uint256\)/);
    expect(result.stdout).toMatch(/may call ComputeMarket \(0x[0-9a-fA-F]{40}\) open\(/);
    expect(result.stdout).toContain('plain ETH transfer (no calldata)');
    expect(result.stdout).not.toMatch(/ 0x[0-9a-f]{8}$/m);
    expect(result.stdout).not.toMatch(/ wei/);
  });

  it('ledger --json gives amounts as decimal strings in the token', async () => {
    const result = await runCli(['ledger', '--json'], env);
    // No agent has run on this devnet: a sentence and the fix.
    expect(result.stderr).toMatch(/^error: No agent memory at .*\n\nStart the agent first/);
    expect(result.code).not.toBe(0);
  });

  it('provider update --help promises only what it does', async () => {
    const result = await runCli(['provider', 'update', '--help'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--endpoint <url>');
    expect(result.stdout).toMatch(/prices and models\s+from config \(provider\.priceInPerMTok, provider\.priceOutPerMTok,\s+provider\.models\)/);
    expect(result.stdout).not.toMatch(/--price|--model/);
  });
});
