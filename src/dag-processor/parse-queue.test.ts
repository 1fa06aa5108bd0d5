import { describe, expect, it } from 'vitest';
import { ParseQueue } from './parse-queue.ts';

describe('ParseQueue', () => {
  it('hands out urgent files before the backlog and coalesces repeats', () => {
    const queue = new ParseQueue();
    queue.add('/a.ts', { urgent: false });
    queue.add('/b.ts', { urgent: false });
    queue.add('/c.ts', { urgent: true });
    queue.add('/b.ts', { urgent: true });
    queue.add('/c.ts', { urgent: false });
    expect(queue.size).toBe(3);
    expect(queue.take(2).map((entry) => entry.file)).toEqual(['/c.ts', '/b.ts']);
    expect(queue.take(10).map((entry) => entry.file)).toEqual(['/a.ts']);
    expect(queue.size).toBe(0);
  });

  it('keeps a forced parse forced when the file is added again', () => {
    const queue = new ParseQueue();
    queue.add('/a.ts', { urgent: false, force: true });
    queue.add('/a.ts', { urgent: true });
    queue.add('/b.ts', { urgent: true });
    expect(queue.take(5)).toEqual([
      { file: '/a.ts', force: true },
      { file: '/b.ts', force: false },
    ]);
  });
});
