import { createServer } from 'node:net';

/**
 * Asks the OS for a free TCP port on a host.
 *
 * @param host Interface to bind (default 127.0.0.1).
 * @returns A port that was free a moment ago.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
