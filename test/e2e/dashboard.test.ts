/**
 * Issue 7 acceptance: the operator dashboard in real Chromium sees seat colours change when the
 * simulated seats' heart rates rise. Seats speak the agent protocol (`/seats`); the page connects
 * to `/operators` with the operator key in the URL fragment.
 */
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { buildClient } from '../../tools/build-client.js';
import { launchChromium } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { requireSystem } from '../support/system-deps.js';

const OPERATOR_KEY = 'operator-key-for-e2e';
const SEATS = 12;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface SeatPixel {
  seat: string;
  rgb: [number, number, number];
  contact: boolean;
}

async function seatColours(page: Page): Promise<SeatPixel[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('#seat-map .seat')].map((el) => {
      const m = getComputedStyle(el).backgroundColor.match(/\d+/g)?.map(Number) ?? [0, 0, 0];
      return {
        seat: el.dataset.seat ?? '',
        rgb: [m[0] ?? 0, m[1] ?? 0, m[2] ?? 0] as [number, number, number],
        contact: !el.classList.contains('no-contact'),
      };
    }),
  );
}

const reddish = (p: SeatPixel) => p.contact && p.rgb[0] > p.rgb[1] + 40;
const greenish = (p: SeatPixel) => p.contact && p.rgb[1] > p.rgb[0] + 40;

describe('operator dashboard e2e (Chromium + uPlot + /operators)', function () {
  this.timeout(120_000);
  let t: TestServer;
  let browser: Browser;
  let agent: Socket | undefined;
  let seq = 0;

  before(async function () {
    await requireSystem(this, 'chromium');
    await buildClient({ minify: false });
    t = await startTestServer({ operatorKey: OPERATOR_KEY, calibration: 2 });
    browser = await launchChromium();
  });
  after(async () => {
    agent?.close();
    await browser?.close();
    await t?.close();
  });

  async function send(seats: string[], bpm: (i: number) => number): Promise<void> {
    const now = Date.now();
    const samples = seats.map((seat, i) => ({ seat, t: now, bpm: bpm(i), contact: true }));
    const ack = (await agent
      ?.timeout(5000)
      .emitWithAck('batch', { agentId: 'e2e', seq: ++seq, samples })) as {
      ok: boolean;
    };
    assert.equal(ack.ok, true);
  }

  it('should colour seats by arousal and change them when heart rates rise', async () => {
    const res = await fetch(`${t.url}/api/shows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-frisson-operator-key': OPERATOR_KEY },
      body: JSON.stringify({ seatCount: SEATS, title: 'E2E night' }),
    });
    const show = (await res.json()) as {
      id: string;
      token: string;
      seats: Array<{ seat: string }>;
    };
    const seats = show.seats.map((s) => s.seat);
    agent = io(`${t.url}/seats`, {
      transports: ['websocket'],
      auth: { token: show.token },
      reconnection: false,
    });

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${t.url}/dashboard/?show=${show.id}&lang=en#key=${OPERATOR_KEY}`);
    await page.waitForFunction(
      (n) => document.querySelectorAll('#seat-map .seat').length === n,
      SEATS,
      { timeout: 15_000 },
    );
    // uPlot drew the chart (its own DOM, not a hand-made canvas).
    assert.equal(await page.locator('#chart .uplot canvas').count(), 1);

    // Resting: 4 s at 62–68 bpm calibrates every seat's baseline; seats turn green.
    for (let k = 0; k < 16; k++) {
      await send(seats, (i) => 62 + (i % 7));
      await sleep(250);
    }
    let calm: SeatPixel[] = [];
    for (let k = 0; k < 20; k++) {
      await send(seats, (i) => 62 + (i % 7));
      calm = await seatColours(page);
      if (calm.filter(greenish).length === SEATS) break;
      await sleep(250);
    }
    assert.equal(calm.filter(greenish).length, SEATS, JSON.stringify(calm.slice(0, 3)));

    // Heart rates rise by ~35 bpm: the map turns red.
    let tense: SeatPixel[] = [];
    for (let k = 0; k < 60; k++) {
      await send(seats, (i) => 100 + (i % 7));
      await sleep(250);
      tense = await seatColours(page);
      if (tense.filter(reddish).length === SEATS) break;
    }
    assert.equal(tense.filter(reddish).length, SEATS, JSON.stringify(tense.slice(0, 3)));
    const chartPoints = await page.evaluate(
      () => (window as unknown as { __dashboard: { xs: number[] } }).__dashboard.xs.length,
    );
    assert.ok(chartPoints > 3, `chart points ${chartPoints}`);
    assert.deepEqual(errors, []);

    // Simplified Chinese on request.
    await page.goto(`${t.url}/dashboard/?show=${show.id}&lang=zh-CN#key=${OPERATOR_KEY}`);
    await page.waitForFunction(() => document.querySelectorAll('#seat-map .seat').length > 0);
    assert.equal(await page.locator('#force').textContent(), '强制下一场景');
    await page.close();
  });

  it('should render the post-show report with uPlot charts and a recap', async () => {
    const show = t.server.shows.list()[0];
    assert.ok(show);
    const token = t.server.tokens.sign({ scope: 'show', id: show.id });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${t.url}/report/?show=${show.id}&token=${encodeURIComponent(token)}`);
    await page.waitForFunction(() => document.querySelectorAll('#recap li').length > 0);
    // Arousal against the target always; heart rate when the show stored seat samples.
    const stored = await page.evaluate('window.__report.heartRate.length > 0');
    assert.equal(await page.locator('.uplot').count(), stored ? 2 : 1);
    assert.equal(await page.locator('#hr-section').isVisible(), stored);
    assert.match((await page.locator('#recap li').first().textContent()) ?? '', /You watched/);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
