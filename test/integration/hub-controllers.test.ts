/**
 * The hub's namespaces are one kind of controller (server/hub/hub-controller.ts): built in order,
 * `destroy()` removes their listeners (on the namespace and on the stages they relay), disconnects
 * their sockets and refuses new ones. Real server, real socket.io clients.
 */
import assert from 'node:assert/strict';
import { io as connect } from 'socket.io-client';
import {
  connectViewer,
  createSession,
  startTestServer,
  type TestServer,
} from '../support/server.js';

/** Resolves on the first `event` of a socket.io client socket. */
const next = (socket: { once(ev: string, fn: () => void): unknown }, event: string) =>
  new Promise<void>((resolve) => socket.once(event, () => resolve()));

describe('hub controllers (real server)', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer({ operatorKey: 'operator-key-123' });
  });
  afterEach(async () => {
    await t.close();
  });

  it('should build one controller per namespace, in order', () => {
    assert.deepEqual(
      t.server.hub.map((c) => c.namespace),
      ['/', '/screens', '/operators', '/seats'],
    );
  });

  it('should remove listeners, disconnect sockets and refuse new ones on destroy', async () => {
    const { sessions, shows } = t.server;
    const before = {
      created: sessions.listenerCount('created'),
      removed: sessions.listenerCount('removed'),
      shows: shows.listenerCount('created'),
    };
    const s = await createSession(t.url);
    const viewer = await connectViewer(t.url, s);
    const session = sessions.get(s.id)!;
    const published = session.listenerCount('published');
    const closed = next(viewer, 'disconnect');
    for (const c of [...t.server.hub].reverse()) c.destroy();
    await closed;
    assert.equal(sessions.listenerCount('created'), before.created - 1, 'viewer hub: created');
    assert.equal(sessions.listenerCount('removed'), before.removed - 1, 'viewer hub: removed');
    assert.equal(shows.listenerCount('created'), before.shows - 2, 'screens and operators');
    assert.equal(session.listenerCount('published'), published - 1, 'session relay removed');
    // A new connection is refused (never reaches a handler).
    const again = connect(t.url, {
      transports: ['websocket'],
      auth: { sessionId: s.id, token: s.token },
      reconnection: false,
      timeout: 1000,
    });
    const outcome = await Promise.race([
      next(again, 'connect').then(() => 'connected'),
      next(again, 'connect_error').then(() => 'refused'),
      new Promise((r) => setTimeout(() => r('no answer'), 3000)),
    ]);
    again.close();
    assert.equal(outcome, 'refused');
    // Idempotent: a second destroy (the server's close) changes nothing.
    for (const c of t.server.hub) c.destroy();
    assert.equal(sessions.listenerCount('created'), before.created - 1);
  });
});
