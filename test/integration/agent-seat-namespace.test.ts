/**
 * The agent protocol end to end inside one process: the real SensorAgent against the real
 * attachSeatNamespace on a socket.io server listening on a free port.
 */
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { SensorAgent, type SensorAgentEvent } from '../../sensors/agent/sensor-agent.js';
import type { SeatSample } from '../../contracts/wire.js';
import { attachSeatNamespace } from '../../server/hub/seat-namespace.js';
import type { Store } from '../../server/store/store.js';

function memoryStore(
  cursors: Map<string, number>,
): Pick<Store, 'getAgentCursor' | 'setAgentCursor'> {
  return {
    getAgentCursor: (id) => Promise.resolve(cursors.get(id) ?? 0),
    setAgentCursor: (id, seq) => {
      cursors.set(id, seq);
      return Promise.resolve();
    },
  };
}

interface Hub {
  url: string;
  port: number;
  received: SeatSample[];
  /** Handshakes the /seats namespace has seen (accepted or refused). */
  handshakes: () => number;
  /** Disconnects every agent from the hub's side, as a hub shutting down gracefully does. */
  kick(): void;
  close(): Promise<void>;
}

async function startHub(
  cursors: Map<string, number>,
  received: SeatSample[],
  port = 0,
): Promise<Hub> {
  const http: HttpServer = createServer();
  const io = new Server(http);
  let handshakes = 0;
  io.of('/seats').use((_socket, next) => {
    handshakes++;
    next();
  });
  attachSeatNamespace(io, {
    store: memoryStore(cursors),
    authorize: (t) => t === 'venue-secret',
    onSamples: (samples) => {
      received.push(...samples);
    },
  });
  await new Promise<void>((r) => http.listen(port, '127.0.0.1', r));
  const p = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${p}`,
    port: p,
    received,
    handshakes: () => handshakes,
    kick: () => io.of('/seats').disconnectSockets(),
    close: async () => {
      io.disconnectSockets(true);
      await io.close();
    },
  };
}

const until = async (cond: () => boolean, what: string, ms = 15_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('sensor agent ⇄ seat namespace', () => {
  it('should deliver batches in order and store the cursor', async () => {
    const cursors = new Map<string, number>();
    const hub = await startHub(cursors, []);
    const agent = new SensorAgent({
      hub: hub.url,
      token: 'venue-secret',
      agentId: 'a1',
      flushMs: 20,
    });
    try {
      agent.start();
      for (let i = 1; i <= 30; i++) agent.add(`S${i % 3}`, { t: i, bpm: 60 + (i % 10) });
      await until(() => agent.status().delivered === 30, 'delivery');
      assert.deepEqual(
        hub.received.map((s) => s.t),
        Array.from({ length: 30 }, (_, i) => i + 1),
      );
      assert.ok((cursors.get('a1') ?? 0) >= 1);
      assert.equal(hub.received[0]!.seat, 'S1');
    } finally {
      await agent.stop(1000);
      await hub.close();
    }
  });

  it('should stop for good when the hub refuses the token, without retrying or buffering', async () => {
    const hub = await startHub(new Map(), []);
    const events: SensorAgentEvent[] = [];
    const agent = new SensorAgent({
      hub: hub.url,
      token: 'nope',
      agentId: 'a2',
      onEvent: (e) => events.push(e),
    });
    try {
      agent.start();
      await until(() => agent.rejected !== null, 'auth rejection');
      assert.deepEqual(agent.rejected, {
        code: 'FRISSON_ERR_UNAUTHORIZED',
        message: 'Missing or invalid token',
      });
      assert.deepEqual(
        events.filter((e) => e.type === 'auth-rejected'),
        [
          {
            type: 'auth-rejected',
            code: 'FRISSON_ERR_UNAUTHORIZED',
            message: 'Missing or invalid token',
          },
        ],
      );
      // Permanent: no further handshakes (socket.io's backoff would retry within 0.5–2 s)…
      await new Promise((r) => setTimeout(r, 2500));
      assert.equal(hub.handshakes(), 1);
      // …and nothing is buffered for a hub that will never take it.
      agent.add('S1', { t: 1, bpm: 70 });
      assert.equal(agent.status().buffered, 0);
      assert.equal(agent.status().connected, false);
      const began = Date.now();
      await agent.stop(10_000);
      assert.ok(Date.now() - began < 1000, 'no drain after a refusal');
    } finally {
      await agent.stop(0);
      await hub.close();
    }
  });

  it('should reconnect and keep delivering after the hub disconnects it', async () => {
    const received: SeatSample[] = [];
    const hub = await startHub(new Map(), received);
    const events: SensorAgentEvent[] = [];
    const agent = new SensorAgent({
      hub: hub.url,
      token: 'venue-secret',
      agentId: 'a4',
      flushMs: 20,
      onEvent: (e) => events.push(e),
    });
    let t = 0;
    const produce = (n: number): void => {
      for (let i = 0; i < n; i++) agent.add('S1', { t: ++t, bpm: 66 });
    };
    try {
      agent.start();
      produce(20);
      await until(() => agent.status().delivered === 20, 'first delivery');
      // What ShowSeatIntake.close() does on a graceful hub shutdown; socket.io-client does not
      // reconnect by itself after a server-side disconnect.
      hub.kick();
      await until(
        () => events.some((e) => e.type === 'disconnected' && e.reason === 'io server disconnect'),
        'server-side disconnect',
      );
      produce(30);
      await until(() => agent.status().delivered === 50, 'delivery after reconnecting');
      assert.equal(events.filter((e) => e.type === 'connected').length, 2);
      assert.deepEqual(
        received.map((s) => s.t),
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
    } finally {
      await agent.stop(1000);
      await hub.close();
    }
  });

  it('should acknowledge a resent batch without processing it twice, and reject malformed ones', async () => {
    const received: SeatSample[] = [];
    const hub = await startHub(new Map(), received);
    const sock = connect(`${hub.url}/seats`, {
      auth: { token: 'venue-secret' },
      transports: ['websocket'],
    });
    try {
      const batch = { agentId: 'raw', seq: 1, samples: [{ seat: 'A1', t: 1, bpm: 70 }] };
      const a1 = (await sock.emitWithAck('batch', batch)) as { ok: boolean; ackedThrough: number };
      const a2 = (await sock.emitWithAck('batch', batch)) as { ok: boolean; duplicate?: boolean };
      assert.deepEqual(a1, { ok: true, ackedThrough: 1 });
      assert.equal(a2.duplicate, true);
      assert.equal(received.length, 1);
      const bad = (await sock.emitWithAck('batch', { agentId: 'raw', seq: 'x' })) as {
        ok: boolean;
        error: { code: string };
      };
      assert.equal(bad.ok, false);
      assert.equal(bad.error.code, 'FRISSON_ERR_INVALID_PAYLOAD');
      const implausible = (await sock.emitWithAck('batch', {
        agentId: 'raw',
        seq: 2,
        samples: [
          { seat: 'A1', t: 2, bpm: 999 },
          { seat: 'A1', t: 3, bpm: 71 },
        ],
      })) as { rejectedSamples?: number };
      assert.equal(implausible.rejectedSamples, 1);
      assert.deepEqual(
        received.map((s) => s.t),
        [1, 3],
      );
      const hello = (await sock.emitWithAck('hello', { agentId: 'raw' })) as { cursor: number };
      assert.equal(hello.cursor, 2);
      // One check at the edge: a sample in contact without a heart value is dropped and counted
      // there (no later stage sees it); a seat without contact may send no values.
      const empty = (await sock.emitWithAck('batch', {
        agentId: 'raw',
        seq: 3,
        samples: [
          { seat: 'A1', t: 4 },
          { seat: 'A1', t: 5, contact: false },
          { seat: 'A1', t: 6, contact: false, eda: 101 },
        ],
      })) as { rejectedSamples?: number };
      assert.equal(empty.rejectedSamples, 2);
      assert.deepEqual(
        received.map((s) => s.t),
        [1, 3, 5],
      );
    } finally {
      sock.close();
      await hub.close();
    }
  });

  it('should buffer while the hub is down and deliver everything exactly once after it returns', async () => {
    const cursors = new Map<string, number>();
    const received: SeatSample[] = [];
    let hub = await startHub(cursors, received);
    const port = hub.port;
    const agent = new SensorAgent({
      hub: hub.url,
      token: 'venue-secret',
      agentId: 'a3',
      flushMs: 20,
    });
    let t = 0;
    const produce = (n: number): void => {
      for (let i = 0; i < n; i++) agent.add('S1', { t: ++t, bpm: 65 });
    };
    try {
      agent.start();
      produce(50);
      await until(() => agent.status().delivered === 50, 'first delivery');
      await hub.close();
      produce(200);
      await until(() => !agent.status().connected, 'disconnect');
      assert.equal(agent.status().buffered, 200);
      hub = await startHub(cursors, received, port);
      produce(50);
      await until(() => agent.status().delivered === 300, 'delivery after restart');
      assert.deepEqual(
        received.map((s) => s.t),
        Array.from({ length: 300 }, (_, i) => i + 1),
      );
      assert.equal(agent.status().dropped, 0);
    } finally {
      await agent.stop(1000);
      await hub.close();
    }
  });
});
