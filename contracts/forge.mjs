#!/usr/bin/env node
// Runs the native forge binary from @foundry-rs/forge-<platform>-<arch> in contracts/ and exits with
// its exit code. The npm package's own `forge` wrapper (bin.mjs) exits 0 even when forge fails
// (a compile error or a failing test), which would turn a red suite green.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const arch = process.arch === 'x64' ? 'amd64' : process.arch;
const pkg = `@foundry-rs/forge-${process.platform}-${arch}`;
let binary;
try {
  binary = join(dirname(require.resolve(`${pkg}/package.json`)), 'bin', 'forge');
} catch {
  console.error(`forge: ${pkg} is not installed; run \`npm ci\``);
  process.exit(1);
}
if (!existsSync(binary)) {
  console.error(`forge: no binary at ${binary}; run \`npm ci\``);
  process.exit(1);
}
const result = spawnSync(binary, process.argv.slice(2), { cwd: here, stdio: 'inherit' });
if (result.error) {
  console.error(`forge: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? (result.signal ? 1 : 0));
