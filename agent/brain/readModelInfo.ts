import type { ModelInfo } from '../../provider/backends/Backend.js';
import { providerPaths } from '../../protocol/providerPaths.js';

/** Parameters of {@link readModelInfo}. */
export type ReadModelInfoParameters = {
  /** The provider's API base, ending in `/v1`. */
  baseUrl: string;
  /** The model to ask about. */
  model: string;
  /** Give up after this long (default 2 s). */
  timeoutMs?: number;
};

/**
 * What a provider says its model takes (`modelInfo` of its unpaid `GET /y2c/info`): the context
 * window and whether it takes tools. A provider that does not say (an older node, or unreachable)
 * is taken as tools-capable with an unknown context, as before; the paying fetch reports the real
 * trouble when the request is sent.
 *
 * @param parameters Where the provider is and which model.
 * @returns The model's info.
 * @example const { tools, contextLength } = await readModelInfo({ baseUrl: 'http://127.0.0.1:8787/v1', model: 'y2c-chat' })
 */
export async function readModelInfo(parameters: ReadModelInfoParameters): Promise<ModelInfo> {
  const origin = parameters.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
  try {
    const response = await fetch(`${origin}${providerPaths.info}`, { signal: AbortSignal.timeout(parameters.timeoutMs ?? 2_000) });
    if (!response.ok) return { tools: true };
    const body = (await response.json()) as { modelInfo?: Record<string, { contextLength?: unknown; tools?: unknown }> };
    const info = body.modelInfo?.[parameters.model];
    if (!info) return { tools: true };
    const contextLength = typeof info.contextLength === 'number' && Number.isSafeInteger(info.contextLength) && info.contextLength > 0 ? info.contextLength : undefined;
    return { contextLength, tools: info.tools !== false };
  } catch {
    return { tools: true };
  }
}
