import { providerPaths } from './providerPaths.js';

const channelPattern = new RegExp(`^${providerPaths.channelPrefix.replaceAll('/', '\\/')}([1-9][0-9]{0,77})$`);

/**
 * The channel id a `GET /y2c/channels/:id` path names (ids start at 1, at most 78 digits: a uint256).
 *
 * @param path A request path without its query.
 * @returns The id, or undefined when the path is not a channel's.
 * @example matchChannelPath('/y2c/channels/12') // 12n
 */
export function matchChannelPath(path: string): bigint | undefined {
  const id = channelPattern.exec(path)?.[1];
  return id ? BigInt(id) : undefined;
}
