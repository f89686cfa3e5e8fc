/**
 * Observability: `/metrics` from a per-instance prom-client registry, `/healthz`, `/readyz`, and
 * the per-socket rate limit (coded ack, never a disconnect).
 */
import assert from 'node:assert/strict';
import {
  connectViewer,
  createSession,
  emitWithAck,
  startTestServer,
  type TestServer,
  type ViewerClient,
  METRICS_AUTH,
} from '../support/server.js';

function metricValue(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(name + ' ') || l.startsWith(name + '{'));
  return line ? Number(line.split(' ').pop()) : NaN;
}

describe('metrics, health and rate limits (real servers)', function () {
  this.timeout(30_000);
  let t: TestServer;
  let other: TestServer;
  const sockets: ViewerClient[] = [];

  before(async () => {
    t = await startTestServer({ rateLimit: 1, rateBurst: 5 });
    other = await startTestServer();
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await t.close();
    await other.close();
  });

  it('should expose per-instance Prometheus metrics', async () => {
    const s = await createSession(t.url);
    const v = await connectViewer(t.url, s);
    sockets.push(v);
    await emitWithAck(v, 'sample', { bpm: 72 });
    await emitWithAck(v, 'playhead', { position: 0.5, stalled: true });
    const res = await fetch(`${t.url}/metrics`, { headers: METRICS_AUTH });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
    const text = await res.text();
    assert.equal(metricValue(text, 'frisson_sessions'), 1);
    assert.equal(metricValue(text, 'frisson_player_stalls_total'), 1);
    assert.match(text, /frisson_hub_events_total\{namespace="\/",event="sample"\} 1/);
    assert.ok(metricValue(text, 'frisson_decision_latency_seconds_count') > 0);
    assert.match(text, /process_cpu_user_seconds_total/);
    // The other instance has its own registry: no sessions, no events.
    const mine = await (await fetch(`${other.url}/metrics`, { headers: METRICS_AUTH })).text();
    assert.equal(metricValue(mine, 'frisson_sessions'), 0);
    assert.equal(metricValue(mine, 'frisson_player_stalls_total'), 0);
  });

  it('should answer /healthz and /readyz', async () => {
    const h = await fetch(`${t.url}/healthz`);
    assert.equal(h.status, 200);
    assert.equal(((await h.json()) as { ok: boolean }).ok, true);
    const r = await fetch(`${t.url}/readyz`);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), {
      ok: true,
      checks: { story: true, store: true, listening: true },
    });
  });

  it('should rate-limit a flooding socket with a coded ack and keep it connected', async () => {
    const s = await createSession(t.url);
    const v = await connectViewer(t.url, s);
    sockets.push(v);
    const acks = await Promise.all(
      Array.from({ length: 12 }, () => emitWithAck(v, 'input', { kind: 'click' })),
    );
    const limited = acks.filter((a) => !a.ok && a.error.code === 'FRISSON_ERR_RATE_LIMITED');
    assert.ok(limited.length >= 6, `limited ${limited.length}`);
    assert.ok(acks.filter((a) => a.ok).length >= 5);
    assert.equal(v.connected, true);
    const text = await (await fetch(`${t.url}/metrics`, { headers: METRICS_AUTH })).text();
    assert.ok(metricValue(text, 'frisson_hub_rate_limited_total') >= 6);
  });
});
