/**
 * Issue 21's acceptance, as a newcomer sees it: `frisson serve --simulate 2` on the demo film
 * (a real server process), `/watch/sim` in Chromium with both viewers side by side. Within 120 s of
 * the first frame a simulated viewer's HUD shows arousal ≥ 0.3 and a decision whose reason cites
 * the viewer's state (heart / arousal against the target, not "following the author's curve"), and
 * the two viewers' variant sequences differ. Screenshots go to `$FRISSON_E2E_ARTIFACTS` (default:
 * `<tmp>/frisson-e2e-artifacts`).
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import type { SimulatedViewerInfo } from '../../contracts/wire.js';
import { buildClient } from '../../tools/build-client.js';
import { launchChromium } from '../support/browser.js';
import { CliProcess } from '../support/cli-process.js';
import { ensureFullDemoStory } from '../support/demo-story.js';
import { requireSystem } from '../support/system-deps.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function artifactsDir(): string {
  return process.env.FRISSON_E2E_ARTIFACTS ?? join(tmpdir(), 'frisson-e2e-artifacts');
}

interface HudReading {
  playing: boolean;
  arousalText: string;
  calibration: string;
  whys: string[];
  /** `whyParts.kind` of every decision received, newest last. */
  kinds: string[];
}

const READ_HUD = `(() => {
  const f = window.__frisson;
  const text = (id) => (document.getElementById(id) || {}).textContent || '';
  return {
    playing: !!(f && f.playing),
    arousalText: text('hud-arousal-value'),
    calibration: text('hud-calibration'),
    whys: [...document.querySelectorAll('#hud-why li')].map((li) => li.textContent),
    kinds: f ? f.decisionLog.map((d) => d.whyParts.kind) : [],
  };
})()`;

/** Variant titles (scene/level) of a session's published playlist, in order. */
async function variantSequence(base: string, v: SimulatedViewerInfo): Promise<string[]> {
  const text = await fetch(
    `${base}/sessions/${v.session.id}/playlist.m3u8?token=${encodeURIComponent(v.session.token)}`,
  ).then((r) => r.text());
  return [...text.matchAll(/#EXTINF:[\d.]+,(.*)/g)].map((m) => m[1] ?? '');
}

describe('simulated viewers you can watch (e2e, demo film, --simulate 2)', function () {
  this.timeout(600_000);
  let browser: Browser | undefined;
  let serve: CliProcess | undefined;
  let dataDir = '';
  let base = '';

  before(async function () {
    await requireSystem(this, 'chromium');
    const story = await ensureFullDemoStory();
    await buildClient({ minify: false });
    dataDir = await mkdtemp(join(tmpdir(), 'frisson-sim-e2e-'));
    serve = new CliProcess(
      ['serve', '--story', story, '--db', join(dataDir, 'f.db'), '--port', '0', '--simulate', '2'],
      { env: { FRISSON_LOG_LEVEL: 'warn' } },
    );
    const m = await serve.waitForStdout(
      /Simulated viewer 2 \(\w+\): (http:\S+)\/watch\/sim\/2/,
      60_000,
    );
    base = m[1] ?? '';
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await serve?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("should print each viewer's stable URL once", () => {
    const out = serve?.stdout ?? '';
    assert.equal(out.match(/\/watch\/sim\n/g)?.length, 1, out);
    for (const n of [1, 2]) {
      assert.equal(out.match(new RegExp(`/watch/sim/${n}\\n`, 'g'))?.length, 1, out);
    }
  });

  it('should show the loop acting on a viewer within 120 s, and the two films diverging', async () => {
    assert.ok(browser);
    const out = artifactsDir();
    await mkdir(out, { recursive: true });
    const page: Page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/watch/sim`);
    const frameOf = (n: number): Frame | undefined =>
      page.frames().find((f) => f.url().includes(`/watch/sim/${n}?`));
    const readHuds = (): Promise<Array<HudReading | undefined>> =>
      Promise.all([1, 2].map(async (n) => frameOf(n)?.evaluate<HudReading>(READ_HUD)));
    // The first frame: both players playing.
    const firstFrameBy = Date.now() + 60_000;
    for (;;) {
      const r = await readHuds();
      if (r.every((x) => x?.playing)) break;
      assert.ok(Date.now() < firstFrameBy, 'the simulated viewers never started playing');
      await sleep(500);
    }
    const firstFrame = Date.now();
    await page.screenshot({ path: join(out, 'sim-first-frame.png') });

    type Hit = { n: number; arousal: number; why: string };
    const found: { hit: Hit | null } = { hit: null };
    let last: Array<HudReading | undefined> = [];
    while (Date.now() - firstFrame < 120_000 && !found.hit) {
      last = await readHuds();
      for (const [i, r] of last.entries()) {
        if (!r) continue;
        const arousal = Number(r.arousalText.split('±')[0]);
        // A reason that cites the viewer's state: heart and/or arousal against the target.
        const why = r.whys.find((w) => /^(heart|arousal) /.test(w));
        if (arousal >= 0.3 && why && r.kinds.includes('state')) {
          found.hit = { n: i + 1, arousal, why };
        }
      }
      if (!found.hit) await sleep(1000);
    }
    const seconds = ((Date.now() - firstFrame) / 1000).toFixed(0);
    await page.screenshot({ path: join(out, 'sim-side-by-side.png') });
    const met = found.hit;
    assert.ok(
      met,
      `no HUD showed arousal ≥ 0.3 with a state-based reason in 120 s: ${JSON.stringify(last)}`,
    );
    process.stdout.write(
      `      viewer ${met.n}: arousal ${met.arousal.toFixed(2)} after ${seconds} s, "${met.why}"\n`,
    );

    // The films must diverge over a minute of film at least (the loop may act sooner).
    let a: string[];
    let b: string[];
    let n: number;
    for (const until = firstFrame + 180_000; ; await sleep(2000)) {
      const viewers = (await fetch(`${base}/api/sim`).then((r) =>
        r.json(),
      )) as SimulatedViewerInfo[];
      const sequences = await Promise.all(viewers.map((v) => variantSequence(base, v)));
      a = sequences[0] ?? [];
      b = sequences[1] ?? [];
      n = Math.min(a.length, b.length);
      if (n > 60 || Date.now() > until) break;
    }
    assert.ok(n > 60, `${n} segments published`);
    const differ = a.slice(0, n).filter((x, i) => x !== b[i]).length;
    assert.ok(differ > 0, 'both viewers were shown the same variants');
    process.stdout.write(`      variant sequences differ in ${differ} of ${n} segments\n`);
    const one = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await one.goto(`${base}/watch/sim/1`);
    await one.waitForFunction(
      () => (window as unknown as { __frisson?: { playing: boolean } }).__frisson?.playing === true,
      null,
      { timeout: 30_000 },
    );
    await sleep(3000);
    await one.screenshot({ path: join(out, 'sim-viewer-1.png') });
    assert.deepEqual(errors, []);
  });
});
