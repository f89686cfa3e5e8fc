import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { HubSampleSender } from '../../../../sensors/trace/hub-sample-sender.js';

describe('HubSampleSender', () => {
  let http: HttpServer;
  let io: Server;
  let url: string;
  const received: unknown[] = [];

  before(async () => {
    http = createServer();
    io = new Server(http);
    io.use((socket, next) => {
      const auth = socket.handshake.auth as { sessionId?: string; token?: string };
      if (auth.sessionId === 's1' && auth.token === 'good') return next();
      next(
        Object.assign(new Error('no'), {
          data: { code: 'FRISSON_ERR_UNAUTHORIZED', message: 'bad token' },
        }),
      );
    });
    io.on('connection', (socket) => {
      socket.on('sample', (payload: { bpm?: number }, ack: (r: unknown) => void) => {
        received.push(payload);
        if (payload.bpm === 999)
          ack({ ok: false, error: { code: 'FRISSON_ERR_OUT_OF_RANGE', message: 'x' } });
        else ack({ ok: true });
      });
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  after(async () => {
    await io.close();
  });

  it('should send samples as acknowledged `sample` events', async () => {
    const hub = await HubSampleSender.connect({ hub: url, sessionId: 's1', token: 'good' });
    try {
      assert.equal(await hub.send({ t: 1, bpm: 70, rr: [850], contact: true }), true);
      assert.equal(await hub.send({ t: 2, bpm: 999 }), false);
      assert.equal(await hub.send({ t: 3, contact: false, rr: [] }), false);
      assert.equal(hub.skipped, 1);
      assert.equal(hub.errors.get('FRISSON_ERR_OUT_OF_RANGE'), 1);
      const first = received[0] as Record<string, unknown>;
      assert.equal(first.bpm, 70);
      assert.deepEqual(first.rr, [850]);
      assert.equal(typeof first.t, 'number');
    } finally {
      hub.close();
    }
  });

  it('should reject with the hub error code when the token is refused', async () => {
    await assert.rejects(
      HubSampleSender.connect({ hub: url, sessionId: 's1', token: 'bad' }),
      /FRISSON_ERR_UNAUTHORIZED: bad token/,
    );
  });
});
