/**
 * Start-up benchmark: wall clock from launching `npm start`'s command (`node --import tsx
 * cli/startWorld.ts up`, without npm's own start-up) to its "y2c is up" line, in a temporary copy
 * of the repository (its tracked and untracked files, node_modules linked), on the default (free) ports:
 * - fresh: no build output (contracts/out, forge cache, generated ABIs, web dist) and no `.y2c/`;
 * - fresh world: build output kept, `.y2c/` removed (deploy + demo stakes from an empty chain);
 * - warm: everything kept (a restart).
 * Median of N each (`Y2C_BENCH_FRESH_RUNS`, default 1; `Y2C_BENCH_RUNS`, default 3), with the
 * 1-minute load average at each start, and the slowest steps of the last run from its progress lines.
 * Writes bench/results/startup.json. Run: `npx tsx bench/startup.ts`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tinyModelPath } from '../test/fixtures/tinyModelPath.js';
import { writeResult, type BenchMetric } from './_lib/writeResult.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const freshRuns = Number(process.env.Y2C_BENCH_FRESH_RUNS ?? 1);
const warmRuns = Number(process.env.Y2C_BENCH_RUNS ?? 3);

const buildOutputs = ['contracts/out', 'contracts/cache', 'chain/abi/generated', 'agent/web/dist'];

/** A copy of the working tree (tracked and untracked files, not ignored ones) with node_modules linked. */
function copyRepository(): string {
  const copy = mkdtempSync(join(tmpdir(), 'y2c-bench-startup-'));
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (file === 'node_modules') continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    try {
      cpSync(join(root, file), join(copy, file));
    } catch {
      // A file deleted in the working tree but still tracked.
    }
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
  // The build output too, for the built runs (the fresh runs remove it).
  for (const output of buildOutputs) if (existsSync(join(root, output))) cpSync(join(root, output), join(copy, output), { recursive: true });
  return copy;
}

/** One `npm start` to ready: its wall clock, the load average when it began, its progress lines. */
async function startOnce(copy: string, dataDir: string): Promise<{ seconds: number; load: number; output: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('Y2C_')));
  const env = {
    ...base,
    Y2C_DATA_DIR: dataDir,
    Y2C_LOG_LEVEL: 'warn',
    Y2C_PROVIDER_MODEL_PATH: tinyModelPath(),
  };
  const load = loadavg()[0]!;
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(copy, 'cli', 'startWorld.ts'), 'up'], { cwd: copy, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const deadline = Date.now() + 900_000;
  while (!output.includes('y2c is up')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`npm start did not come up:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  child.kill('SIGINT');
  if ((await exited) !== 0) throw new Error(`npm start did not stop cleanly:\n${output}`);
  return { seconds, load, output };
}

/** The slowest steps of one start, from the gaps between its `[  1.2s]` progress lines. */
function slowestSteps(output: string, count = 4): string {
  const lines = output.split('\n').map((line) => /^\[\s*([\d.]+)s\] (.*)$/.exec(line)).filter((m): m is RegExpExecArray => m !== null);
  const gaps = lines.map((m, i) => ({ step: m[2]!, seconds: Number(lines[i + 1]?.[1] ?? m[1]) - Number(m[1]) }));
  return gaps.sort((a, b) => b.seconds - a.seconds).slice(0, count).map((g) => `"${g.step.slice(0, 60)}" ${g.seconds.toFixed(1)} s`).join(', ');
}

/** The median (the lower of the two middle values for an even count). */
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const round = (x: number) => Number(x.toFixed(2));
const metrics: Record<string, BenchMetric> = {};
const copy = copyRepository();
try {
  const record = (id: string, what: string, runs: { seconds: number; load: number; output: string }[]) => {
    if (!runs.length) return;
    metrics[id] = {
      value: round(median(runs.map((r) => r.seconds))),
      unit: 's',
      better: 'lower',
      note: `${what}: median of ${runs.length} (${runs.map((r) => `${r.seconds.toFixed(1)} s at load ${r.load.toFixed(1)}`).join('; ')}), wall clock from spawning \`node --import tsx cli/startWorld.ts up\` to "y2c is up"; longest gaps between progress lines of the last (steps overlap): ${slowestSteps(runs.at(-1)!.output)}. Targets (2-core machine, unloaded): fresh 25 s, warm 5 s.`,
    };
    process.stdout.write(`${id}: ${metrics[id]!.note}\n`);
  };
  const fresh = [];
  for (let i = 0; i < freshRuns; i++) {
    for (const output of buildOutputs) rmSync(join(copy, output), { recursive: true, force: true });
    const dataDir = mkdtempSync(join(tmpdir(), 'y2c-bench-startup-data-'));
    fresh.push(await startOnce(copy, dataDir));
    rmSync(dataDir, { recursive: true, force: true });
  }
  record('freshStartSeconds', 'fresh clone (no build output, no .y2c/)', fresh);
  const freshWorld = [];
  for (let i = 0; i < warmRuns; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'y2c-bench-startup-data-'));
    freshWorld.push(await startOnce(copy, dataDir));
    rmSync(dataDir, { recursive: true, force: true });
  }
  record('freshWorldStartSeconds', 'built, empty .y2c/ (deploy and demo stakes)', freshWorld);
  const dataDir = mkdtempSync(join(tmpdir(), 'y2c-bench-startup-data-'));
  await startOnce(copy, dataDir);
  const warm = [];
  for (let i = 0; i < warmRuns; i++) warm.push(await startOnce(copy, dataDir));
  rmSync(dataDir, { recursive: true, force: true });
  record('warmStartSeconds', 'restart (build and .y2c/ kept)', warm);
} finally {
  rmSync(copy, { recursive: true, force: true });
}
writeResult({ name: 'startup', metrics });
