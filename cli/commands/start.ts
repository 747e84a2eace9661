import { connect } from '../connect.js';
import type { Config } from '../../config/types.js';
import { startAgent } from '../../agent/daemon/startAgent.js';
import { createLifecycle } from '../../core/createLifecycle.js';
import { runUntilSignal } from '../runUntilSignal.js';

/** Parameters of {@link start}. */
export type StartParameters = {
  /** Health endpoint port (default chat port + 1). */
  healthPort?: number | undefined;
  /** Skip the treasury tick right after start. */
  noTreasuryOnStart?: boolean | undefined;
  /** Exit the process when the daemon has stopped (default true; false returns, for an embedding caller). */
  exitOnStop?: boolean | undefined;
};

/**
 * `y2c start`: runs the agent daemon against the configured chain (on local, the world `y2c up`
 * is running: RPC from `.y2c/runtime.json`, deployment from `.y2c/deployment.json`) until SIGINT or
 * SIGTERM (the running job finishes first; a second signal forces exit).
 *
 * @param config Loaded config.
 * @param parameters Options from the command line.
 * @returns Never once started: the process exits when the daemon has stopped.
 * @example program.command('start').action(() => start(loadConfig(), {}))
 */
export async function start(config: Config, parameters: StartParameters = {}): Promise<void> {
  const connection = connect(config);
  const life = createLifecycle();
  await runUntilSignal(life, { name: 'y2c start', ...(parameters.exitOnStop === false ? { exitOnStop: false } : {}) }, async () => {
    const agent = await life.start(
      'agent',
      () =>
        startAgent(config, {
          connection: { rpcUrl: connection.rpcUrl, bundlerUrl: connection.bundlerUrl, deployment: connection.deployment },
          ...(parameters.healthPort !== undefined ? { healthPort: parameters.healthPort } : {}),
          ...(parameters.noTreasuryOnStart ? { runTreasuryOnStart: false } : {}),
        }),
      (started) => started.stop(),
    );
    process.stdout.write(`agent ${agent.tba} running; chat at ${agent.chatUrl}; health at ${agent.healthUrl}\n`);
  });
}
