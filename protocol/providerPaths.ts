/**
 * The provider's HTTP paths (one home for both sides: the provider routes them, the paying fetch and
 * the agent call them). `chatCompletions` and `models` are OpenAI's; the `y2c` ones are ours.
 */
export const providerPaths = {
  /** `GET`: the models served (OpenAI shape). */
  models: '/v1/models',
  /** `POST`: a paid chat completion (OpenAI shape, `stream: true` for SSE). */
  chatCompletions: '/v1/chat/completions',
  /** `GET`: the provider's identity and terms ({@link ProviderInfoWire}). */
  info: '/y2c/info',
  /** `GET /y2c/channels/:id`: the provider's ledger of one channel ({@link ChannelStateWire}). */
  channelPrefix: '/y2c/channels/',
} as const;

/**
 * The path of one channel's ledger on the provider.
 *
 * @param channelId The channel.
 * @returns `/y2c/channels/<id>`.
 * @example channelPath(7n) // '/y2c/channels/7'
 */
export function channelPath(channelId: bigint): string {
  return `${providerPaths.channelPrefix}${channelId}`;
}
