import assert from 'node:assert/strict';
import { setImmediate as nextIteration } from 'node:timers/promises';
import { AckCoalescer } from '../../../../server/hub/ack-coalescer.js';

describe('AckCoalescer', () => {
  it('should write queued acks after the current callback, together and in order', async () => {
    const acks = new AckCoalescer();
    const written: string[] = [];
    for (const seat of ['S1', 'S2', 'S1']) {
      acks.send((v: unknown) => written.push(`${seat}:${String(v)}`), written.length);
    }
    acks.send((v: unknown) => written.push(`S3:${String(v)}`), 'x');
    // Nothing is written while the current callback runs (nor in its microtasks).
    await Promise.resolve();
    assert.deepEqual(written, []);
    assert.equal(acks.pending, 4);
    await nextIteration();
    assert.deepEqual(written, ['S1:0', 'S2:0', 'S1:0', 'S3:x']);
    assert.equal(acks.pending, 0);
  });

  it('should schedule one flush per iteration and start afresh in the next one', async () => {
    const acks = new AckCoalescer();
    const batches: number[][] = [];
    let current: number[] = [];
    const ack = (v: unknown): void => void current.push(v as number);
    acks.send(ack, 1);
    acks.send(ack, 2);
    await nextIteration();
    batches.push(current);
    current = [];
    acks.send(ack, 3);
    await nextIteration();
    batches.push(current);
    assert.deepEqual(batches, [[1, 2], [3]]);
  });

  it('should skip a client that asked for no ack, and keep writing past an ack that throws', async () => {
    const acks = new AckCoalescer();
    const written: number[] = [];
    acks.send(undefined, 0);
    acks.send('not a function', 0);
    acks.send(() => {
      throw new Error('socket gone');
    }, 1);
    acks.send((v: unknown) => written.push(v as number), 2);
    assert.equal(acks.pending, 2);
    await nextIteration();
    assert.deepEqual(written, [2]);
  });

  it('should write everything at once on flush() (a closing namespace)', () => {
    const acks = new AckCoalescer();
    const written: number[] = [];
    acks.send((v: unknown) => written.push(v as number), 7);
    acks.flush();
    assert.deepEqual(written, [7]);
    assert.equal(acks.pending, 0);
  });
});
