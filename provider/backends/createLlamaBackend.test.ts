import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
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
// The tiny real model beside the checkout (../shared/models, MIT; see its README): referenced, never copied.
const modelPath = fileURLToPath(new URL('../../../shared/models/stories260K.gguf', import.meta.url));

describe('createLlamaBackend', () => {
  it.skipIf(installed)('says how to install node-llama-cpp when it is absent', async () => {
    const error = await createLlamaBackend({ modelPath }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlamaUnavailableError);
    expect((error as LlamaUnavailableError).details).toContain('npm install node-llama-cpp@3.21.1');
  });

  it.skipIf(!installed || !existsSync(modelPath))(
    'answers from a local GGUF model with usage counted by its tokenizer (needs node-llama-cpp and ../shared/models/stories260K.gguf)',
    async () => {
      // stories260K was trained on 512-token sequences: keep the context within that.
      const backend = await createLlamaBackend({ modelPath, model: 'local', contextSize: 256, threads: 2 });
      const { body, usage } = await backend.complete({ model: 'local', messages: [{ role: 'user', content: 'Say hi.' }], max_tokens: 8 }, new AbortController().signal);
      expect(body.choices[0]?.message.content).toBeTypeOf('string');
      expect(usage.completion_tokens).toBeGreaterThan(0);
      expect(usage.completion_tokens).toBeLessThanOrEqual(8);
      expect(usage.prompt_tokens).toBeGreaterThan(0);
      expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
      await backend.close();
    },
  );
});
