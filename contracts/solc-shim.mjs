#!/usr/bin/env node
// A stand-in for the native `solc` binary that forge can drive offline: it answers `--version`
// like native solc and compiles `--standard-json` from stdin with solc-js (the npm `solc`
// package), resolving imports against the base and include paths forge passes.
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { resolve, isAbsolute } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
// Loaded where it compiles (the main thread only hands shards to workers).
let solcModule;
const solc = () => (solcModule ??= require('solc'));
const args = process.argv.slice(2);

if (args.includes('--version') || args.includes('-v')) {
  // forge parses the version from the second line, like native solc prints it.
  const version = solc().version().replace('.Emscripten.clang', '.Linux.g++');
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${version}\n`);
  process.exit(0);
}

if (!args.includes('--standard-json')) {
  process.stderr.write('solc-shim: only --version and --standard-json are supported\n');
  process.exit(1);
}

const roots = isMainThread ? [process.cwd()] : workerData.roots;
if (process.env.SOLC_SHIM_DEBUG) process.stderr.write(JSON.stringify({ cwd: process.cwd(), args }) + "\n");
for (let i = 0; isMainThread && i < args.length; i++) {
  const a = args[i];
  const next = args[i + 1];
  if ((a === '--base-path' || a === '--include-path') && next) roots.push(resolve(next));
  if (a === '--allow-paths' && next) for (const p of next.split(',')) roots.push(resolve(p));
}

function findImports(path) {
  const candidates = isAbsolute(path) ? [path] : roots.map((r) => resolve(r, path));
  for (const file of candidates) {
    if (existsSync(file)) return { contents: readFileSync(file, 'utf8') };
  }
  return { error: `File not found: ${path}` };
}

if (!isMainThread) {
  parentPort.postMessage(solc().compile(workerData.input, { import: findImports }));
} else {
// solc-js is single-threaded: on a machine with several cores, split the compile into shards, each
// a worker thread that reads and checks every source but generates code only for its own files
// (solc skips code generation for contracts no output asks for), then merge their outputs. Every
// shard sees the same sources and settings, so each contract's bytecode and every AST id is what one
// compile gives. Opt-in (SOLC_SHIM_SHARDS=2): measured at load 4-5 on 2 cores it was no faster
// (world build 32.2 s sharded vs 28.6 s single), since each shard repeats the analysis.
const input = readFileSync(0, 'utf8');
process.stdout.write(await compileSharded(input));
}

/** Compiles the standard-json input, in shards when it is worth it; returns the output JSON. */
async function compileSharded(text) {
  const parsed = JSON.parse(text);
  const selection = parsed.settings?.outputSelection ?? {};
  const files = Object.keys(parsed.sources ?? {});
  const shards = Math.min(Number(process.env.SOLC_SHIM_SHARDS ?? 1), availableParallelism(), Math.floor(files.length / 8));
  // Only the usual "every file" selection is split; anything more specific compiles in one go.
  if (shards < 2 || Object.keys(selection).join() !== '*') return solc().compile(text, { import: findImports });
  // Greedy by source length, largest first: a rough measure of the code to generate.
  const groups = Array.from({ length: shards }, () => ({ files: [], weight: 0 }));
  for (const file of [...files].sort((a, b) => (parsed.sources[b].content?.length ?? 0) - (parsed.sources[a].content?.length ?? 0))) {
    const lightest = groups.reduce((min, group) => (group.weight < min.weight ? group : min));
    lightest.files.push(file);
    lightest.weight += parsed.sources[file].content?.length ?? 0;
  }
  const outputs = await Promise.all(
    groups.map((group) => {
      const shard = { ...parsed, settings: { ...parsed.settings, outputSelection: Object.fromEntries(group.files.map((file) => [file, selection['*']])) } };
      return new Promise((resolvePromise, reject) => {
        const worker = new Worker(new URL(import.meta.url), { workerData: { input: JSON.stringify(shard), roots }, argv: ['--standard-json'] });
        worker.once('message', (output) => resolvePromise(JSON.parse(output)));
        worker.once('error', reject);
        worker.once('exit', (code) => code !== 0 && reject(new Error(`solc-shim: shard exited with code ${code}`)));
      });
    }),
  );
  const merged = { sources: {}, contracts: {} };
  const errors = new Map();
  for (const output of outputs) {
    Object.assign(merged.sources, output.sources ?? {});
    Object.assign(merged.contracts, output.contracts ?? {});
    // Analysis warnings come from every shard: keep each once.
    for (const error of output.errors ?? []) errors.set(JSON.stringify(error), error);
  }
  if (errors.size) merged.errors = [...errors.values()];
  return JSON.stringify(merged);
}
