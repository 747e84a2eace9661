import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PortInUseError } from './PortInUseError.js';

/** Parameters of {@link listenServer}. */
export type ListenServerParameters = {
  /** Port; 0 for a free one. */
  port: number;
  /** Interface. */
  host: string;
  /** The option that set the port, named in the error (e.g. `provider.port`). */
  option?: string | undefined;
};

/**
 * Listens and resolves with the bound address, or rejects with one sentence when the port is taken
 * (a {@link PortInUseError} instead of a raw `EADDRINUSE` stack).
 *
 * @param server An HTTP server, not yet listening.
 * @param parameters Port, host and the option that chose the port.
 * @returns The address it listens on.
 * @throws {PortInUseError} When the port is in use or not allowed.
 * @example const { port } = await listenServer(server, { port: 0, host: '127.0.0.1' });
 */
export function listenServer(server: Server, parameters: ListenServerParameters): Promise<AddressInfo> {
  const { port, host, option } = parameters;
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') {
        const set = option ? `set ${option} to another port, or 0 for a free one` : 'choose another port, or 0 for a free one';
        reject(
          new PortInUseError(
            `Port ${port} on ${host} is ${error.code === 'EACCES' ? 'not allowed' : 'already in use'}${option ? ` (${option})` : ''}: stop what listens there, or ${set}.`,
            { cause: error },
          ),
        );
      } else reject(error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}
