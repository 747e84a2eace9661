/**
 * `npm run bench`: runs every benchmark in bench/ (each also runnable alone with `npx tsx bench/<name>.ts`),
 * each writing bench/results/<name>.json in the shared format, then prints one table of all results.
 * `npm run bench -- provider gas` runs only those.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './_lib/writeResult.js';


const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();

let failed = 0;
for (const name of benches) {
  const started = Date.now();
  process.stdout.write(`bench ${name} …\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, `${name}.ts`)], { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    failed++;
    process.stdout.write(`bench ${name} FAILED after ${seconds} s\n`);
  } else {
    process.stdout.write(`bench ${name} done in ${seconds} s\n`);
  }
}

const rows: string[][] = [['benchmark', 'metric', 'value', 'unit', 'better']];
const resultsDir = join(here, 'results');
for (const file of existsSync(resultsDir) ? readdirSync(resultsDir).filter((f) => f.endsWith('.json')).sort() : []) {
  const result = JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as BenchResult;
  for (const [id, metric] of Object.entries(result.metrics)) {
    rows.push([result.name, id, String(metric.value), metric.unit, metric.better]);
  }
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
for (const [i, row] of rows.entries()) {
  process.stdout.write(`${row.map((cell, j) => cell.padEnd(widths[j]!)).join('  ')}\n`);
  if (i === 0) process.stdout.write(`${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
}
if (failed) {
  process.stdout.write(`${failed} benchmark(s) failed\n`);
  process.exitCode = 1;
}
