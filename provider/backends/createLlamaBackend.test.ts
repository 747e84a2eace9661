import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createLlamaBackend, LlamaUnavailableError } from './createLlamaBackend.js';

const require = createRequire(import.meta.url);
const installed = (() => {
  try {
    require.resolve('node-llama-cpp');
    return true;
  } catch {
    return false;
  }
})();
// A small GGUF model for the real run; none is shipped with the repository.
const modelPath = '.y2c/models/test.gguf';

describe('createLlamaBackend', () => {
  it.skipIf(installed)('says how to install node-llama-cpp when it is absent', async () => {
    const error = await createLlamaBackend({ modelPath }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlamaUnavailableError);
    expect((error as LlamaUnavailableError).details).toContain('npm install node-llama-cpp@3.21.1');
  });

  it.skipIf(!installed || !existsSync(modelPath))(
    'answers from a local GGUF model with usage counted by its tokenizer (skipped: needs node-llama-cpp and .y2c/models/test.gguf)',
    async () => {
      const backend = await createLlamaBackend({ modelPath, model: 'local' });
      const { body, usage } = await backend.complete({ model: 'local', messages: [{ role: 'user', content: 'Say hi.' }], max_tokens: 8 }, new AbortController().signal);
      expect(body.choices[0]?.message.content).toBeTypeOf('string');
      expect(usage.completion_tokens).toBeGreaterThan(0);
      expect(usage.completion_tokens).toBeLessThanOrEqual(8);
      await backend.close();
    },
  );
});
