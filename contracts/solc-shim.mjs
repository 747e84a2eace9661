#!/usr/bin/env node
// A stand-in for the native `solc` binary that forge can drive offline: it answers `--version`
// like native solc and compiles `--standard-json` from stdin with solc-js (the npm `solc`
// package), resolving imports against the base and include paths forge passes.
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve, isAbsolute } from 'node:path';

const require = createRequire(import.meta.url);
const solc = require('solc');
const args = process.argv.slice(2);

if (args.includes('--version') || args.includes('-v')) {
  // forge parses the version from the second line, like native solc prints it.
  const version = solc.version().replace('.Emscripten.clang', '.Linux.g++');
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${version}\n`);
  process.exit(0);
}

if (!args.includes('--standard-json')) {
  process.stderr.write('solc-shim: only --version and --standard-json are supported\n');
  process.exit(1);
}

const roots = [process.cwd()];
if (process.env.SOLC_SHIM_DEBUG) process.stderr.write(JSON.stringify({ cwd: process.cwd(), args }) + "\n");
for (let i = 0; i < args.length; i++) {
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

const input = readFileSync(0, 'utf8');
process.stdout.write(solc.compile(input, { import: findImports }));
