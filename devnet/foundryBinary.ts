import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { AgentError } from '../core/AgentError.js';

/** A Foundry tool shipped by the `@foundry-rs/*` npm packages. */
export type FoundryTool = 'anvil' | 'forge' | 'cast';

const require = createRequire(import.meta.url);

/**
 * Path of the native Foundry binary for this platform, so that it can be spawned without the npm
 * wrapper (one process less, and signals reach the binary itself).
 *
 * @param tool anvil, forge or cast.
 * @returns Absolute path of the executable.
 * @example spawn(foundryBinary('anvil'), ['--port', '8545'])
 */
export function foundryBinary(tool: FoundryTool): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const pkg = `@foundry-rs/${tool}-${process.platform}-${arch}`;
  let path: string;
  try {
    path = join(dirname(require.resolve(`${pkg}/package.json`)), 'bin', tool);
  } catch (cause) {
    throw new AgentError(`Foundry binary ${tool} is not installed for ${process.platform}-${arch}.`, {
      cause,
      details: `Run \`npm ci\`; the optional package ${pkg} must be present.`,
    });
  }
  if (!existsSync(path)) throw new AgentError(`Foundry binary missing at ${path}.`, { details: 'Run `npm ci` again.' });
  return path;
}
