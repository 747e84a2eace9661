import { describe, expect, it } from 'vitest';
import { AgentError } from './AgentError.js';
import { walkError } from './walkError.js';

class OutOfTestError extends AgentError {
  override name = 'OutOfTestError' as const;
}

describe('walkError', () => {
  it('finds an error by class through the wrappers around it', () => {
    const inner = new OutOfTestError('out');
    const wrapped = new Error('connection error', { cause: new TypeError('fetch failed', { cause: inner }) });
    expect(walkError(wrapped, (e) => e instanceof OutOfTestError)).toBe(inner);
    expect(new AgentError('outer', { cause: wrapped }).walk((e) => e instanceof OutOfTestError)).toBe(inner);
    expect(walkError(wrapped)).toBe(inner);
  });

  it('is not fooled by an error that only carries the name', () => {
    const impostor = Object.assign(new Error('out'), { name: 'OutOfTestError' });
    expect(walkError(new Error('wrapper', { cause: impostor }), (e) => e instanceof OutOfTestError)).toBeUndefined();
    expect(walkError('a string', (e) => e instanceof OutOfTestError)).toBeUndefined();
  });
});
