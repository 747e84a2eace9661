import { describe, expect, it } from 'vitest';
import { createLifecycle, LifecycleStoppingError } from './createLifecycle.js';

/** A part that records its start and stop in `events`. */
const part = (events: string[], name: string, fail?: 'start' | 'stop') => ({
  start: async () => {
    events.push(`start ${name}`);
    if (fail === 'start') throw new Error(`${name} cannot start`);
    return name;
  },
  stop: async () => {
    events.push(`stop ${name}`);
    if (fail === 'stop') throw new Error(`${name} cannot stop`);
  },
});

describe('createLifecycle', () => {
  it('starts parts in order and stops them in reverse, once', async () => {
    const events: string[] = [];
    const life = createLifecycle();
    await life.run(async () => {
      for (const name of ['a', 'b', 'c']) {
        const { start, stop } = part(events, name);
        await life.start(name, start, stop);
      }
    });
    expect(life.parts()).toEqual(['a', 'b', 'c']);
    await Promise.all([life.stop(), life.stop()]);
    expect(events).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
    expect(life.state()).toBe('stopped');
    expect(await life.stopped).toEqual({});
  });

  it('a failed start stops what had started, in reverse, and rethrows', async () => {
    const events: string[] = [];
    const life = createLifecycle();
    const started = life.run(async () => {
      for (const [name, fail] of [['a'], ['b'], ['c', 'start'], ['d']] as const) {
        const { start, stop } = part(events, name, fail);
        await life.start(name, start, stop);
      }
    });
    await expect(started).rejects.toThrow('c cannot start');
    expect(events).toEqual(['start a', 'start b', 'start c', 'stop b', 'stop a']);
    expect((await life.stopped).reason).toBeInstanceOf(Error);
  });

  it('a part whose stop throws does not keep the others running', async () => {
    const events: string[] = [];
    const errors: string[] = [];
    const life = createLifecycle({ onStopError: (name, error) => errors.push(`${name}: ${(error as Error).message}`), onStop: (name) => events.push(`stopping ${name}`) });
    for (const [name, fail] of [['a'], ['b', 'stop'], ['c']] as const) {
      const { start, stop } = part(events, name, fail);
      await life.start(name, start, stop);
    }
    await life.stop();
    expect(events.filter((event) => event.startsWith('stop '))).toEqual(['stop c', 'stop b', 'stop a']);
    expect(errors).toEqual(['b: b cannot stop']);
  });

  it('a part that finishes starting after a stop began is stopped at once, and its start rejects', async () => {
    const events: string[] = [];
    const life = createLifecycle();
    const { start, stop } = part(events, 'a');
    await life.start('a', start, stop);
    let release!: () => void;
    const slow = life.start(
      'slow',
      () => new Promise<string>((resolve) => (release = () => resolve('slow'))),
      async () => void events.push('stop slow'),
    );
    await life.stop(new Error('crashed'));
    release();
    await expect(slow).rejects.toBeInstanceOf(LifecycleStoppingError);
    life.add('late', () => void events.push('stop late'));
    expect(events).toEqual(['start a', 'stop a', 'stop slow', 'stop late']);
    expect(((await life.stopped).reason as Error).message).toBe('crashed');
  });
});
