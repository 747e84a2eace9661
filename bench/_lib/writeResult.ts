import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One measured figure of a benchmark. */
export type BenchMetric = {
  value: number;
  unit: string;
  /** Which direction is an improvement. */
  better: 'lower' | 'higher';
  /** How it was measured, and what to compare it with. */
  note: string;
};

/** The shared result format of bench/results/<name>.json. */
export type BenchResult = {
  name: string;
  machine: string;
  metrics: Record<string, BenchMetric>;
};

/** Parameters of {@link writeResult}. */
export type WriteResultParameters = {
  /** Benchmark name; the file is bench/results/<name>.json. */
  name: string;
  metrics: Record<string, BenchMetric>;
};

/** Return type of {@link writeResult}: what was written, and where. */
export type WriteResultReturnType = { path: string; result: BenchResult };

/**
 * The machine a benchmark ran on, in one line: CPU model and count, node version, platform.
 *
 * @returns e.g. `Intel(R) Xeon(R) Processor ×2, node v20.20.2, linux/x64`.
 */
export function machineDescription(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? 'unknown cpu'} ×${cpu.length}, node ${process.version}, ${process.platform}/${process.arch}`;
}

/**
 * Writes a benchmark's result in the shared format to bench/results/<name>.json (through a temp
 * file and a rename, so `npm run bench` never reads half a file) and prints it.
 *
 * @param parameters Name and metrics.
 * @returns The path and the result.
 * @example writeResult({ name: 'gas', metrics: { stake: { value: 120_000, unit: 'gas', better: 'lower', note: '…' } } })
 */
export function writeResult(parameters: WriteResultParameters): WriteResultReturnType {
  for (const [id, metric] of Object.entries(parameters.metrics)) {
    if (!Number.isFinite(metric.value)) throw new Error(`metric ${parameters.name}.${id} is not a finite number: ${metric.value}`);
  }
  const result: BenchResult = { name: parameters.name, machine: machineDescription(), metrics: parameters.metrics };
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${parameters.name}.json`);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
  console.log(JSON.stringify(result, null, 2));
  return { path, result };
}
