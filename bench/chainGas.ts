/**
 * Gas of one session-key ERC-20 call (approve USDx to the market) through the direct transport and
 * through ERC-4337 (the user operation's actualGasUsed and the whole bundle transaction's gasUsed),
 * and seconds from startDevnet to ready. Writes bench/results/chain-gas.json.
 *
 * Run: npx tsx bench/chainGas.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFunctionData } from 'viem';
import { foundry } from 'viem/chains';
import { usdxAbi } from '../chain/abi/generated/usdx.js';
import { startDevnet, type StartDevnetReturnType } from '../devnet/startDevnet.js';
import { createAgentWallet } from '../chain/wallet/createAgentWallet.js';
import { loadSessionKey } from '../chain/wallet/loadSessionKey.js';
import { writeResult } from './_lib/writeResult.js';

const starts = 3;
const rounds = 3;

async function timedStart(bundler: boolean): Promise<{ devnet: StartDevnetReturnType; seconds: number; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'y2c-bench-'));
  const started = performance.now();
  const devnet = await startDevnet({ dataDir, persist: false, bundler });
  return { devnet, seconds: (performance.now() - started) / 1000, dataDir };
}

const startSeconds: number[] = [];
for (let i = 0; i < starts - 1; i++) {
  const { devnet, seconds, dataDir } = await timedStart(true);
  startSeconds.push(seconds);
  await devnet.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
const { devnet, seconds, dataDir } = await timedStart(true);
startSeconds.push(seconds);

try {
  const { publicClient, deployment, anvil } = devnet;
  const bundlerUrl = devnet.bundler?.bundlerUrl;
  if (!bundlerUrl) throw new Error('no bundler');
  const sessionKey = loadSessionKey({ path: devnet.sessionKeyPath });
  const common = { publicClient, chain: foundry, rpcUrl: anvil.rpcUrl, address: deployment.agent.tba, sessionKey };
  const direct = createAgentWallet({ ...common, transport: { kind: 'direct' } });
  const userop = createAgentWallet({ ...common, transport: { kind: 'userop', bundlerUrl, entryPoint: deployment.entryPoint } });
  let amount = 1_000_000n;
  const approve = () => [{ to: deployment.usdx, data: encodeFunctionData({ abi: usdxAbi, functionName: 'approve', args: [deployment.computeMarket, amount++] }) }];

  // Warm-up: the first write of each transport pays one-off storage (allowance and budget slots from
  // zero, the EntryPoint deposit); measured rounds all rewrite non-zero slots.
  await direct.sendCalls(approve());
  await userop.sendCalls(approve());

  const directGas: number[] = [];
  const userOpActualGas: number[] = [];
  const bundleTxGas: number[] = [];
  for (let i = 0; i < rounds; i++) {
    directGas.push(Number((await direct.sendCalls(approve())).gasUsed));
    const result = await userop.sendCalls(approve());
    userOpActualGas.push(Number(result.gasUsed));
    const receipt = await publicClient.getTransactionReceipt({ hash: result.transactionHash });
    bundleTxGas.push(Number(receipt.gasUsed));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const call = 'session key: USDx.approve(market, amount) through the TBA (execute), non-zero to non-zero';
  writeResult({
    name: 'chain-gas',
    metrics: {
      approveDirect: { value: median(directGas), unit: 'gas', better: 'lower', note: `${call}; direct transaction receipt gasUsed, median of ${rounds} (${directGas.join(', ')})` },
      approveUserOpActual: {
        value: median(userOpActualGas),
        unit: 'gas',
        better: 'lower',
        note: `${call}; ERC-4337 user operation actualGasUsed (what the account pays), median of ${rounds} (${userOpActualGas.join(', ')})`,
      },
      approveUserOpBundleTx: {
        value: median(bundleTxGas),
        unit: 'gas',
        better: 'lower',
        note: `${call}; receipt gasUsed of the bundle transaction (bundle of one), median of ${rounds} (${bundleTxGas.join(', ')}); ${(median(bundleTxGas) / median(directGas)).toFixed(2)}× direct`,
      },
      startDevnetSeconds: {
        value: Number(median(startSeconds).toFixed(2)),
        unit: 's',
        better: 'lower',
        note: `startDevnet to ready, median of ${starts} (${startSeconds.map((x) => x.toFixed(2)).join(', ')}): anvil + canonical contracts + y2c contracts + agent bootstrap + 3 demo stakes + alto, in memory`,
      },
    },
  });
} finally {
  await devnet.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
