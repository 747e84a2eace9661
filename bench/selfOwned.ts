/**
 * What the self-owned bootstrap costs: seconds from startDevnet to ready (no bundler) for a
 * community-owned agent (timelock, charter, governor, the timelock's session grant, roles
 * renounced) and for a single-owner one (`--owner eoa`), interleaved, median of 3 each; and the
 * gas the governance bootstrap adds. Writes bench/results/self-owned.json.
 *
 * Run: npx tsx bench/selfOwned.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevnet } from '../devnet/startDevnet.js';
import type { AgentOwnerMode } from '../chain/deploy/deployWorld.js';
import { writeResult } from './_lib/writeResult.js';

const runs = 3;

async function timedStart(owner: AgentOwnerMode): Promise<{ seconds: number; gas: bigint }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'y2c-bench-'));
  const started = performance.now();
  const devnet = await startDevnet({ dataDir, persist: false, bundler: false, owner, demoStakes: [] });
  const seconds = (performance.now() - started) / 1000;
  // Gas of every transaction the start sent (anvil automines one per block).
  let gas = 0n;
  const latest = await devnet.publicClient.getBlockNumber();
  for (let n = 1n; n <= latest; n++) gas += (await devnet.publicClient.getBlock({ blockNumber: n })).gasUsed;
  await devnet.stop();
  rmSync(dataDir, { recursive: true, force: true });
  return { seconds, gas };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const community: number[] = [];
const eoa: number[] = [];
let communityGas = 0n;
let eoaGas = 0n;
for (let i = 0; i < runs; i++) {
  const c = await timedStart('community');
  community.push(c.seconds);
  communityGas = c.gas;
  const e = await timedStart('eoa');
  eoa.push(e.seconds);
  eoaGas = e.gas;
}
writeResult({
  name: 'self-owned',
  metrics: {
    startCommunitySeconds: { value: median(community), unit: 's', better: 'lower', note: `startDevnet to ready, self-owned, no bundler, no demo stakes; median of ${runs}` },
    startEoaSeconds: { value: median(eoa), unit: 's', better: 'lower', note: `the same with --owner eoa; median of ${runs}` },
    bootstrapAddsSeconds: { value: median(community) - median(eoa), unit: 's', better: 'lower', note: 'difference of the medians' },
    bootstrapAddsGas: { value: Number(communityGas - eoaGas), unit: 'gas', better: 'lower', note: 'all start-up transactions, self-owned minus single-owner' },
  },
});
