/**
 * What `npm start` builds before `y2c up`, and only what the world needs: the contracts under
 * contracts/src (forge `--skip test --skip script`: no tests, no scripts), their typed ABIs, and the
 * web page. Each step is skipped when its inputs did not change since it last ran (a hash of the
 * inputs beside the output), and each prints one progress line with its time.
 * `npm start` runs it in the same process as `y2c up` (cli/startWorld.ts); `tsx cli/buildWorld.ts`
 * runs it alone. `npm run build` (used by `npm test`) still builds everything, tests included.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let started = Date.now();
const step = (message: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${message}\n`);

/** Every file under `dir` (recursively), sorted. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]))
    .sort();
}

/** A hash of these files' paths and contents. */
function hashOf(files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update('\0').update(existsSync(file) && statSync(file).isFile() ? readFileSync(file) : '').update('\0');
  return hash.digest('hex');
}

/** Runs `build` unless the inputs' hash equals the one recorded at `stamp`; records it after. */
async function unlessUnchanged(name: string, inputs: readonly string[], outputs: readonly string[], stamp: string, build: () => Promise<void> | void): Promise<boolean> {
  const hash = hashOf(inputs);
  if (outputs.every((output) => existsSync(output)) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) {
    step(`${name}: up to date`);
    return false;
  }
  const at = Date.now();
  await build();
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, hash);
  step(`${name}: built in ${((Date.now() - at) / 1000).toFixed(1)} s`);
  return true;
}

const lock = join(root, 'package-lock.json');
const contractsOut = join(root, 'contracts', 'out');
const generated = join(root, 'chain', 'abi', 'generated');
const webDist = join(root, 'agent', 'web', 'dist');

/**
 * Builds what the world needs, skipping each step whose inputs did not change.
 *
 * @returns Once the contracts, their ABIs and the page are up to date.
 * @example await buildWorld();
 */
export async function buildWorld(): Promise<void> {
  started = Date.now();
  await unlessUnchanged(
    'contracts',
    [join(root, 'contracts', 'foundry.toml'), lock, ...filesUnder(join(root, 'contracts', 'src'))],
    [join(contractsOut, 'AgentAccount.sol', 'AgentAccount.json')],
    join(root, 'contracts', 'cache', 'world-build.hash'),
    () => {
      step('compiling the contracts the world needs (solc-js; about a minute the first time, then cached)');
      const forge = spawnSync(process.execPath, [join(root, 'contracts', 'forge.mjs'), 'build', '--skip', 'test', '--skip', 'script'], { stdio: ['ignore', 'inherit', 'inherit'] });
      if (forge.status !== 0) process.exit(forge.status ?? 1);
    },
  );
  await unlessUnchanged(
    'typed ABIs',
    // The contracts' stamp stands for their sources: new sources, new ABIs.
    [join(root, 'chain', 'abi', 'generate.ts'), join(root, 'contracts', 'cache', 'world-build.hash')],
    [join(generated, 'agentAccount.ts')],
    join(root, 'contracts', 'cache', 'abi-build.hash'),
    async () => {
      await import('../chain/abi/generate.js');
    },
  );
  await unlessUnchanged(
    'web page',
    // The page imports the typed ABIs: their stamp stands for them.
    [lock, join(root, 'contracts', 'cache', 'abi-build.hash'), ...filesUnder(join(root, 'agent', 'web', 'src')), join(root, 'agent', 'web', 'index.html'), join(root, 'agent', 'web', 'vite.config.ts')],
    [join(webDist, 'index.html')],
    join(root, 'contracts', 'cache', 'web-build.hash'),
    async () => {
      const { buildWeb } = await import('../agent/web/buildWeb.js');
      await buildWeb();
    },
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildWorld();
