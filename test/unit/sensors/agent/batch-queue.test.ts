import assert from 'node:assert/strict';
import { BatchQueue } from '../../../../sensors/agent/batch-queue.js';

const s = (i: number): { seat: string; t: number; bpm: number } => ({ seat: 'A1', t: i, bpm: 60 });

describe('BatchQueue', () => {
  it('should batch, number on first send and keep the number until acked', () => {
    const q = new BatchQueue({ maxBatch: 2 });
    q.add(s(1));
    q.add(s(2)); // seals at 2
    q.add(s(3));
    q.seal();
    const b1 = q.next()!;
    assert.equal(b1.seq, 1);
    assert.deepEqual(
      b1.samples.map((x) => x.t),
      [1, 2],
    );
    assert.equal(q.next()!.seq, 1, 'resend keeps seq');
    q.ackThrough(1);
    const b2 = q.next()!;
    assert.equal(b2.seq, 2);
    q.ackThrough(2);
    assert.equal(q.next(), undefined);
    assert.equal(q.size, 0);
    assert.equal(q.delivered, 3);
    assert.equal(q.produced, 3);
  });

  it('should continue numbering after the hub cursor', () => {
    const q = new BatchQueue();
    q.resumeAfter(41);
    q.add(s(1));
    q.seal();
    assert.equal(q.next()!.seq, 42);
    q.resumeAfter(10);
    assert.equal(q.seq, 42, 'never goes backwards');
  });

  it('should bound memory by dropping the oldest unsent batches and count them', () => {
    const q = new BatchQueue({ maxBatch: 10, maxSamples: 25 });
    for (let i = 0; i < 10; i++) q.add(s(i));
    const inFlight = q.next()!; // batch 1 (t 0–9) is in flight: it must survive
    for (let i = 10; i < 40; i++) q.add(s(i));
    assert.ok(q.size <= 25);
    assert.equal(q.dropped, 40 - q.size);
    assert.equal(q.next(), inFlight);
    q.ackThrough(inFlight.seq);
    q.seal();
    const rest: number[] = [];
    for (let b = q.next(); b; b = q.next()) {
      rest.push(...b.samples.map((x) => x.t));
      q.ackThrough(b.seq);
    }
    assert.deepEqual(
      rest,
      [...rest].sort((a, b) => a - b),
      'order is kept',
    );
    assert.equal(rest.at(-1), 39, 'the newest data survives');
  });

  it('should discard a refused batch as dropped', () => {
    const q = new BatchQueue();
    q.add(s(1));
    q.seal();
    q.next();
    q.discardHead();
    assert.equal(q.size, 0);
    assert.equal(q.dropped, 1);
  });
});
