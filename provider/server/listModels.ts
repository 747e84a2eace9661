import type { ProviderContext } from './ProviderContext.js';

/**
 * The provider's `GET /v1/models` body (OpenAI's shape, with the context window and tool support).
 *
 * @param context The provider.
 * @returns `{ object: 'list', data }`.
 * @example sendJson(res, 200, listModels(context));
 */
export function listModels(context: ProviderContext): { object: 'list'; data: Record<string, unknown>[] } {
  const data = context.backend.models.map((id) => {
    const { contextLength, tools } = context.modelInfo[id] ?? { tools: true };
    return { id, object: 'model', created: 0, owned_by: context.provider, ...(contextLength ? { context_length: contextLength } : {}), supports_tools: tools };
  });
  return { object: 'list', data };
}
