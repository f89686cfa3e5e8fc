/**
 * The foundation's end-to-end path in real Chromium: a heart-rate burst reaches the hub over
 * socket.io, the director picks a more intense variant, the session's live playlist grows with it,
 * hls.js plays it, and the variant marker *on screen* changes — with no stall.
 *
 * Run with FRISSON_E2E_PICKER=fixed to see it fail when the director is disabled.
 */
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { buildClient } from '../../tools/build-client.js';
import { classifyMarker, launchChromium, READ_MARKER, type Marker } from '../support/browser.js';
import { ensureDemoStory } from '../support/demo-story.js';
import {
  connectViewer,
  createSession,
  emitWithAck,
  startTestServer,
  type TestServer,
  type ViewerClient,
} from '../support/server.js';
import { requireSystem } from '../support/system-deps.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One second of a strap's notifications at `bpm`: the beats of that second, ±4 ms jitter. */
function strapSample(bpm: number, i: number): { bpm: number; rr: number[] } {
  const rr = 60_000 / bpm;
  const beats = Math.max(1, Math.round(bpm / 60));
  return {
    bpm: Math.round(bpm),
    rr: Array.from({ length: beats }, (_, k) => Math.round(rr + (((i + k) % 3) - 1) * 4)),
  };
}

async function markerOnScreen(page: Page): Promise<Marker> {
  const px = await page.evaluate<number[] | null>(READ_MARKER);
  return px ? classifyMarker([px[0] ?? 0, px[1] ?? 0, px[2] ?? 0]) : 'unknown';
}

describe('player e2e (Chromium + hls.js + live playlist)', function () {
  this.timeout(240_000);
  let t: TestServer;
  let browser: Browser;
  let viewer: ViewerClient | undefined;

  before(async function () {
    await requireSystem(this, 'chromium');
    const storyDir = await ensureDemoStory();
    await buildClient({ minify: false });
    t = await startTestServer({
      story: storyDir,
      calibration: 4,
      picker: process.env.FRISSON_E2E_PICKER ?? 'threshold',
    });
    browser = await launchChromium();
  });

  after(async () => {
    viewer?.close();
    await browser?.close();
    await t?.close();
  });

  it('should switch the variant on screen after a heart-rate burst, without stalling', async () => {
    const s = await createSession(t.url);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(s.playerUrl);
    await page.waitForFunction(
      () => (window as unknown as { __frisson: { playing: boolean } }).__frisson.playing,
      null,
      {
        timeout: 30_000,
      },
    );

    // Resting calibration: 1 Hz samples around 64 bpm with their RR intervals, as a strap sends.
    viewer = await connectViewer(t.url, s);
    const seen: Marker[] = [];
    for (let i = 0; i < 6; i++) {
      const ack = await emitWithAck(viewer, 'sample', strapSample(64 + (i % 2), i));
      assert.deepEqual(ack, { ok: true });
      seen.push(await markerOnScreen(page));
      await sleep(1000);
    }
    const before = seen.filter((m) => m !== 'unknown');
    assert.ok(before.length > 0, 'no frame could be read from the video');
    assert.ok(
      before.every((m) => m === 'calm'),
      `expected calm while resting, saw ${before.join(',')}`,
    );

    // Burst: the heart races (+~10 % a second, as fast as the 20 % ectopic rule lets a real
    // acceleration through). The marker on screen must change within a few segments.
    let changedAt = -1;
    const burstStart = Date.now();
    const during: Marker[] = [];
    for (let i = 0; i < 16 && changedAt < 0; i++) {
      await emitWithAck(viewer, 'sample', strapSample(Math.min(130, 64 * 1.1 ** (i + 1)), i));
      for (let k = 0; k < 4 && changedAt < 0; k++) {
        const m = await markerOnScreen(page);
        during.push(m);
        if (m === 'tense' || m === 'scare') changedAt = Date.now() - burstStart;
        await sleep(250);
      }
    }
    const log = (await t.server.store.listDecisions(s.id)).map(
      (d) => `${d.msn}:${d.scene}/${d.level} ${d.reason}`,
    );
    assert.ok(
      changedAt >= 0,
      `the variant on screen never changed after the burst; saw ${during.join(',')}\n${log.join('\n')}`,
    );

    const diag = await page.evaluate<{ stalls: number; decisions: number }>(
      '({ stalls: window.__frisson.stalls, decisions: window.__frisson.decisions })',
    );
    assert.equal(diag.stalls, 0, 'playback stalled');
    assert.deepEqual(errors, []);

    // Narration: the lines sent over the socket are cues in the subtitle rendition that hls.js
    // rendered, at the media time they were scheduled for.
    const narration = await page.evaluate<{
      sent: Array<{ text: string; start: number }>;
      cues: Array<{ text: string; start: number }>;
    }>(`({
      sent: window.__frisson.narration,
      cues: [...document.querySelector('video').textTracks].flatMap((t) =>
        t.cues ? [...t.cues].map((c) => ({ text: c.text, start: c.startTime })) : []),
    })`);
    assert.ok(narration.sent.length > 0, 'no narration line reached the player');
    const shown = narration.sent.filter((l) => narration.cues.some((c) => c.text === l.text));
    assert.ok(shown.length > 0, `no narration cue in the text track: ${JSON.stringify(narration)}`);
    for (const l of shown) {
      const cue = narration.cues.find((c) => c.text === l.text)!;
      assert.ok(
        Math.abs(cue.start - l.start) < 0.5,
        `cue "${l.text}" at ${cue.start}, scheduled ${l.start}`,
      );
    }
    // The decision log agrees with the screen: a non-calm variant was published by the director.
    const decisions = await t.server.store.listDecisions(s.id);
    assert.ok(decisions.some((d) => d.level !== 'calm' && !d.fallback));
    await page.close();
  });
});
