/**
 * Property-based fuzzing (fast-check, fixed seed) of every socket.io event the hub accepts: each
 * case is a real emit over a real websocket to a real server. Properties: every event with an
 * acknowledgement is answered, every refusal carries a documented code (contracts/errors.ts), the
 * server logs no internal error, the connection and the other viewers are unaffected; frames over
 * 2 MiB close the connection at the transport.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { io as connect, type Socket } from 'socket.io-client';
import { MAX_MESSAGE_BYTES } from '../../contracts/wire.js';
import {
  connectViewer,
  createSession,
  startTestServer,
  type TestServer,
  type ViewerClient,
} from '../support/server.js';
import { fuzzBudget } from './fuzz-budget.js';
import { countingLogger, DOCUMENTED_CODES } from './fuzz-support.js';

const budget = fuzzBudget();
const RESERVED = new Set([
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
]);

type AnyAck = { ok: boolean; error?: { code?: unknown } };

/** Values a hostile client would put in a field: wrong types, edge numbers, huge and odd strings. */
const hostileValue = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(
    0,
    -0,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER,
    20,
    250,
    200,
    3000,
    19.999,
    250.001,
  ),
  fc.string({ maxLength: 40 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.double(), fc.integer({ min: 150, max: 3100 }), fc.string()), {
    maxLength: 40,
  }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.integer(), { maxKeys: 4 }),
);

const nearSample = fc.record(
  {
    t: hostileValue,
    bpm: fc.oneof(fc.double({ min: 0, max: 400, noNaN: true }), hostileValue),
    rr: fc.oneof(fc.array(fc.integer({ min: 100, max: 3500 }), { maxLength: 40 }), hostileValue),
    contact: hostileValue,
    eda: hostileValue,
    extra: hostileValue,
  },
  { requiredKeys: [] },
);
const nearInput = fc.record(
  {
    kind: fc.oneof(
      fc.constantFrom('click', 'pause', 'play', 'seek', 'visibility', 'key'),
      hostileValue,
    ),
    value: hostileValue,
    t: hostileValue,
    junk: hostileValue,
  },
  { requiredKeys: [] },
);
const nearPlayhead = fc.record(
  {
    position: fc.oneof(fc.double({ min: -10, max: 1e6, noNaN: true }), hostileValue),
    msn: hostileValue,
    buffered: hostileValue,
    stalled: hostileValue,
    paused: hostileValue,
    other: hostileValue,
  },
  { requiredKeys: [] },
);
const anyPayload = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.uint8Array({ maxLength: 64 }),
  fc.string({ maxLength: 200 }),
);

describe('fuzz: socket.io events (real server)', function () {
  this.timeout(0);
  let t: TestServer;
  let errors: () => string[];
  const sockets: Socket[] = [];
  let viewer: ViewerClient;
  let bystander: ViewerClient;
  let session: { id: string; token: string };

  before(async () => {
    const logger = countingLogger();
    errors = logger.errors;
    // Rate limits off: every case must reach validation (rate limiting: fault-tolerance.test.ts).
    t = await startTestServer({ rateLimit: 1e9, rateBurst: 1e9 }, { log: logger.log });
    session = await createSession(t.url);
    viewer = await connectViewer(t.url, session);
    bystander = await connectViewer(t.url, await createSession(t.url));
    sockets.push(viewer, bystander);
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await t?.close();
  });
  afterEach(function () {
    // Nothing the clients sent may have been logged as a server-side error.
    assert.deepEqual(errors(), [], 'the server logged errors while fuzzed');
  });

  const ackOf = async (socket: Socket, event: string, payload: unknown): Promise<AnyAck> =>
    (await socket.timeout(5000).emitWithAck(event, payload)) as AnyAck;

  const assertAnswered = (res: AnyAck, what: string): void => {
    assert.equal(typeof res?.ok, 'boolean', `${what}: ack without ok`);
    if (!res.ok) {
      const code = res.error?.code;
      assert.ok(
        typeof code === 'string' && DOCUMENTED_CODES.has(code),
        `${what}: undocumented code ${String(code)}`,
      );
    }
  };

  for (const [event, arb, share] of [
    ['sample', fc.oneof(nearSample, anyPayload), 0.16],
    ['input', fc.oneof(nearInput, anyPayload), 0.08],
    ['playhead', fc.oneof(nearPlayhead, anyPayload), 0.08],
  ] as const) {
    it(`should answer ${budget.runs(share)} hostile \`${event}\` events with ok or a documented code`, async () => {
      await fc.assert(
        fc.asyncProperty(arb, async (payload) => {
          assertAnswered(await ackOf(viewer, event, payload), event);
        }),
        budget.params(share),
      );
      assert.equal(viewer.connected, true);
      assert.deepEqual(await ackOf(bystander, 'sample', { bpm: 70 }), { ok: true });
    });
  }

  it(`should answer ${budget.runs(0.06)} hostile \`join\` events and keep the socket's session usable`, async () => {
    const socket = await connectViewer(t.url, session);
    sockets.push(socket);
    const joinArb = fc.oneof(
      fc.record(
        {
          sessionId: fc.oneof(fc.constant(session.id), fc.uuid(), fc.string({ maxLength: 80 })),
          token: fc.oneof(fc.constant(session.token), fc.string({ maxLength: 600 })),
          more: hostileValue,
        },
        { requiredKeys: [] },
      ),
      anyPayload,
    );
    await fc.assert(
      fc.asyncProperty(joinArb, async (payload) => {
        const res = await ackOf(socket, 'join', payload);
        assertAnswered(res, 'join');
        const p = payload as { sessionId?: unknown; token?: unknown; more?: unknown } | null;
        if (res.ok) {
          assert.equal(p?.sessionId, session.id, 'joined without the right session id');
          assert.equal(p?.token, session.token, 'joined without the right token');
        }
      }),
      budget.params(0.06),
    );
    assert.equal(
      (await ackOf(socket, 'join', { sessionId: session.id, token: session.token })).ok,
      true,
    );
  });

  it(`should survive ${budget.runs(0.04)} unknown events and extra arguments`, async () => {
    const socket = await connectViewer(t.url, session);
    sockets.push(socket);
    const name = fc.string({ minLength: 1, maxLength: 30 }).filter((n) => !RESERVED.has(n));
    await fc.assert(
      fc.asyncProperty(name, fc.array(anyPayload, { maxLength: 4 }), async (ev, args) => {
        (socket as unknown as Socket).emit(ev, ...args);
        // The hub still answers this socket right after.
        assertAnswered(await ackOf(socket, 'playhead', { position: 1 }), ev);
      }),
      budget.params(0.04),
    );
    assert.equal(socket.connected, true);
  });

  it(`should refuse ${budget.runs(0.02)} hostile handshakes on every namespace with a documented code`, async () => {
    // Every namespace the server has when the suite runs (viewer `/`, and `/seats`, `/operator`, …
    // once they are attached).
    const nsps = [...(t.server.io as unknown as { _nsps: Map<string, unknown> })._nsps.keys()];
    const auth = fc.oneof(
      fc.record(
        {
          sessionId: fc.oneof(fc.constant(session.id), fc.string({ maxLength: 70 })),
          token: fc.oneof(fc.string({ maxLength: 600 }), fc.integer(), fc.constant(null)),
          pid: fc.string({ maxLength: 20 }),
          offset: fc.string({ maxLength: 20 }),
          role: hostileValue,
        },
        { requiredKeys: [] },
      ),
      fc.dictionary(fc.string({ maxLength: 10 }), hostileValue, { maxKeys: 5 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...nsps), auth, async (nsp, a) => {
        const socket = connect(`${t.url}${nsp}`, {
          transports: ['websocket'],
          reconnection: false,
          auth: a,
          forceNew: true,
        });
        try {
          const outcome = await new Promise<{ ok: boolean; code?: unknown }>((done) => {
            socket.once('connect', () => done({ ok: true }));
            socket.once('connect_error', (err: Error & { data?: { code?: unknown } }) =>
              done({ ok: false, code: err.data?.code }),
            );
          });
          if (!outcome.ok) {
            assert.ok(
              typeof outcome.code === 'string' && DOCUMENTED_CODES.has(outcome.code),
              `${nsp}: handshake refused without a documented code (${String(outcome.code)})`,
            );
          }
        } finally {
          socket.close();
        }
      }),
      budget.params(0.02),
    );
  });

  it('should close the connection on a frame over 2 MiB and keep serving others', async () => {
    const socket = await connectViewer(t.url, session);
    sockets.push(socket);
    const closed = new Promise<string>((done) => socket.once('disconnect', (r) => done(r)));
    socket.emit('sample', { bpm: 70, junk: 'x'.repeat(MAX_MESSAGE_BYTES + 1024) });
    assert.equal(await closed, 'transport close');
    assert.deepEqual(await ackOf(viewer, 'sample', { bpm: 71 }), { ok: true });
  });
});
