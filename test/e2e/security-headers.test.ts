/**
 * Issue 22 finding 9: the Content-Security-Policy (server/http/security-headers.ts) is one the
 * pages actually pass. Real Chromium loads the player (hls.js playing the live playlist: blob:
 * worker, MediaSource), the operator dashboard (uPlot, /operators socket) and the post-show report
 * under the served headers; any `securitypolicyviolation` event or CSP console message fails.
 */
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { buildClient } from '../../tools/build-client.js';
import { launchChromium } from '../support/browser.js';
import { ensureDemoStory } from '../support/demo-story.js';
import { createSession, startTestServer, type TestServer } from '../support/server.js';
import { requireSystem } from '../support/system-deps.js';

const OPERATOR_KEY = 'operator-key-for-csp-e2e';

/** Records every CSP violation the page reports, as events and as console lines. */
async function watchCsp(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) seen.push(m.text());
  });
  page.on('pageerror', (e) => seen.push(`pageerror: ${e.message}`));
  await page.exposeFunction('__cspViolation', (v: string) => seen.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __cspViolation: (v: string) => void }).__cspViolation;
      report(`${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  return seen;
}

describe('security headers e2e (Chromium: player, dashboard, report under the CSP)', function () {
  this.timeout(180_000);
  let t: TestServer;
  let browser: Browser;
  let agent: Socket | undefined;

  before(async function () {
    await requireSystem(this, 'chromium');
    const story = await ensureDemoStory();
    await buildClient({ minify: true });
    t = await startTestServer({ story, operatorKey: OPERATOR_KEY, picker: 'threshold' });
    browser = await launchChromium();
  });
  after(async () => {
    agent?.close();
    await browser?.close();
    await t?.close();
  });

  it('should play in the player with no CSP violation', async () => {
    const s = await createSession(t.url);
    const page = await browser.newPage();
    const seen = await watchCsp(page);
    const res = await page.goto(s.playerUrl);
    assert.match(res?.headers()['content-security-policy'] ?? '', /worker-src 'self' blob:/);
    await page.waitForFunction(
      () => (window as unknown as { __frisson: { playing: boolean } }).__frisson.playing,
      null,
      { timeout: 60_000 },
    );
    // Play on for a while: segment loads, the worker, narration tracks, HUD updates.
    await page.waitForTimeout(4000);
    const time = await page.evaluate(() => document.querySelector('video')?.currentTime ?? 0);
    assert.ok(time > 1, `the video played ${time} s`);
    assert.deepEqual(seen, []);
    await page.close();
  });

  it('should run the dashboard and the report with no CSP violation', async () => {
    const created = await fetch(`${t.url}/api/shows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-frisson-operator-key': OPERATOR_KEY },
      body: JSON.stringify({ seatCount: 4, title: 'CSP night' }),
    });
    const show = (await created.json()) as { id: string; token: string };
    agent = io(`${t.url}/seats`, {
      transports: ['websocket'],
      auth: { token: show.token },
      reconnection: false,
    });
    const page = await browser.newPage();
    const seen = await watchCsp(page);
    await page.goto(`${t.url}/dashboard/?show=${show.id}&lang=en#key=${OPERATOR_KEY}`);
    await page.waitForFunction(
      () => document.querySelectorAll('#seat-map .seat').length === 4,
      null,
      {
        timeout: 15_000,
      },
    );
    for (let k = 0; k < 8; k++) {
      const now = Date.now();
      await agent.timeout(5000).emitWithAck('batch', {
        agentId: 'csp',
        seq: k + 1,
        samples: ['S001', 'S002', 'S003', 'S004'].map((seat) => ({
          seat,
          t: now,
          bpm: 70 + k,
          contact: true,
        })),
      });
      await page.waitForTimeout(250);
    }
    assert.equal(await page.locator('#chart .uplot canvas').count(), 1);
    await page.goto(`${t.url}/report/?show=${show.id}&token=${encodeURIComponent(show.token)}`);
    await page.waitForFunction(() => document.querySelectorAll('.uplot').length > 0, null, {
      timeout: 15_000,
    });
    assert.deepEqual(seen, []);
    await page.close();
  });
});
