import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { FrissonError } from '../../../../contracts/errors.js';
import { edgeEvent, InboundEdge, type AckResult } from '../../../../server/hub/inbound-edge.js';
import { KeyedTokenBuckets } from '../../../../server/hub/rate-limiter.js';

/** An edge with one `bpm` event whose schema counts its parses; `act` is the handler's body. */
function rig(act: (bpm: number) => AckResult | Promise<AckResult>, burst = 100) {
  const parses = { n: 0 };
  const schema = z.preprocess(
    (v) => {
      parses.n++;
      return v;
    },
    z.object({ bpm: z.number() }),
  );
  const trace: string[] = [];
  const edge = new InboundEdge<{ who: string }>({
    namespace: '/test',
    limits: new KeyedTokenBuckets({ ratePerSecond: 1, burst }),
    clock: () => 0,
    observer: {
      event: (ns, ev) => trace.push(`event ${ns} ${ev}`),
      rateLimited: (ns) => trace.push(`limited ${ns}`),
      stall: () => undefined,
    },
    events: {
      bpm: edgeEvent({
        schema,
        limits: (d) => (d.bpm > 300 ? new FrissonError('FRISSON_ERR_OUT_OF_RANGE') : null),
        handle: (_ctx, d) => act(d.bpm),
      }),
    },
  });
  /** Sends one event and resolves its ack. */
  const send = (payload: unknown, key = 'k'): Promise<AckResult> =>
    new Promise((resolve) => edge.receive('bpm', payload, resolve, { who: key }, key));
  return { edge, send, parses, trace };
}

const code = (r: AckResult): string | undefined => (r.ok ? undefined : r.error.code);

describe('InboundEdge', () => {
  it('should rate-limit before parsing: an over-limit event is never parsed', async () => {
    const { send, parses, trace } = rig(() => ({ ok: true }), 1);
    assert.deepEqual(await send({ bpm: 70 }), { ok: true });
    assert.equal(parses.n, 1);
    const r = await send('not even an object');
    assert.equal(code(r), 'FRISSON_ERR_RATE_LIMITED');
    assert.equal(parses.n, 1, 'the refused payload was not parsed');
    assert.deepEqual(trace, ['event /test bpm', 'event /test bpm', 'limited /test']);
  });

  it('should keep one budget per key, not per socket', async () => {
    const { edge, send } = rig(() => ({ ok: true }), 2);
    // Two "sockets" of one key share it; another key has its own.
    const a = new EventEmitter();
    const b = new EventEmitter();
    edge.bind(
      a,
      () => ({ who: 'a' }),
      () => 'seat:1',
    );
    edge.bind(
      b,
      () => ({ who: 'b' }),
      () => 'seat:1',
    );
    const acks: AckResult[] = [];
    for (const s of [a, b, a]) s.emit('bpm', { bpm: 70 }, (r: AckResult) => acks.push(r));
    assert.deepEqual(acks.map(code), [undefined, undefined, 'FRISSON_ERR_RATE_LIMITED']);
    assert.deepEqual(await send({ bpm: 70 }, 'seat:2'), { ok: true });
  });

  it('should answer an invalid payload with a coded ack and its issue paths', async () => {
    let ran = 0;
    const { send } = rig(() => {
      ran++;
      return { ok: true };
    });
    const r = await send({ bpm: 'fast' });
    assert.equal(code(r), 'FRISSON_ERR_INVALID_PAYLOAD');
    assert.equal(r.ok ? '' : r.error.details?.[0]?.path, 'bpm');
    assert.equal(ran, 0);
  });

  it('should apply the limits after the schema and before the handler', async () => {
    let ran = 0;
    const { send } = rig(() => {
      ran++;
      return { ok: true };
    });
    assert.equal(code(await send({ bpm: 400 })), 'FRISSON_ERR_OUT_OF_RANGE');
    assert.equal(ran, 0);
  });

  it('should turn a thrown or rejected handler error into a coded ack, never a throw', async () => {
    const coded = rig(() => {
      throw new FrissonError('FRISSON_ERR_SESSION_ENDED', 'the film has ended');
    });
    assert.deepEqual(await coded.send({ bpm: 70 }), {
      ok: false,
      error: { code: 'FRISSON_ERR_SESSION_ENDED', message: 'the film has ended' },
    });
    const bare = rig(() => {
      throw new Error('secret internals');
    });
    const r = await bare.send({ bpm: 70 });
    assert.equal(code(r), 'FRISSON_ERR_INTERNAL');
    assert.doesNotMatch(JSON.stringify(r), /secret internals/);
    const rejected = rig(() => Promise.reject(new FrissonError('FRISSON_ERR_FORBIDDEN')));
    assert.equal(code(await rejected.send({ bpm: 70 })), 'FRISSON_ERR_FORBIDDEN');
    // No callback from the client: still no throw.
    assert.doesNotThrow(() => bare.edge.receive('bpm', { bpm: 70 }, undefined, { who: 'x' }, 'x'));
  });

  it('should run a relayed event through the schema, limits and handler without the rate limit', async () => {
    const { edge } = rig(() => ({ ok: true }), 1);
    const ctx = { who: 'relay' };
    assert.deepEqual(await edge.run('bpm', { bpm: 70 }, ctx), { ok: true });
    assert.deepEqual(await edge.run('bpm', { bpm: 70 }, ctx), { ok: true });
    assert.equal(code(await edge.run('bpm', { bpm: 'x' }, ctx)), 'FRISSON_ERR_INVALID_PAYLOAD');
    assert.equal(code(await edge.run('nope', {}, ctx)), 'FRISSON_ERR_NOT_FOUND');
  });

  it('should stop listening when unbound', () => {
    const { edge } = rig(() => ({ ok: true }));
    const s = new EventEmitter();
    const unbind = edge.bind(
      s,
      () => ({ who: 's' }),
      () => 's',
    );
    assert.equal(s.listenerCount('bpm'), 1);
    unbind();
    assert.equal(s.listenerCount('bpm'), 0);
  });
});

describe('KeyedTokenBuckets', () => {
  it('should drop buckets that refilled, keeping memory to the active keys', () => {
    const limits = new KeyedTokenBuckets({ ratePerSecond: 10, burst: 10 });
    for (let i = 0; i < 100; i++) limits.take(`k${i}`, 0);
    assert.equal(limits.size, 100);
    limits.take('late', 5000); // 10 / 10 per s = full after 1 s
    assert.equal(limits.size, 1);
  });
});
