/**
 * `frisson serve --venue-demo --seats 12` as a newcomer runs it (a real server process, the demo's
 * short cut so a vote comes within seconds), in Chromium: the dashboard's seat map with labelled
 * seats, the screen's vote with its countdown, the report; and the same pages in zh-CN with no
 * English UI string left (story content — titles the author wrote in English — aside).
 * Screenshots go to `$FRISSON_E2E_ARTIFACTS` (default `<tmp>/frisson-e2e-artifacts`).
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { PackagedStory } from '../../contracts/story.js';
import { loadPackagedStory } from '../../media/story/load-manifest.js';
import { buildClient } from '../../tools/build-client.js';
import { launchChromium } from '../support/browser.js';
import { CliProcess } from '../support/cli-process.js';
import { ensureDemoStory } from '../support/demo-story.js';
import { requireSystem } from '../support/system-deps.js';

const artifacts = (): string =>
  process.env.FRISSON_E2E_ARTIFACTS ?? join(tmpdir(), 'frisson-e2e-artifacts');

/** Words allowed on a zh-CN page: the product's name, language names, units. */
const KEPT = new Set(['Frisson', 'FRISSON', 'English', 'HLS', 'bpm']);

/**
 * English words left in a page's visible text once the story's own content (title, scene,
 * ending and level names, branch prompts, scene and seat ids) is taken out.
 */
function englishLeft(text: string, story: PackagedStory): string[] {
  const content: string[] = [
    story.title,
    ...Object.values(story.scenes).flatMap((s) => [s.title, s.id]),
    ...Object.entries(story.endings).flatMap(([id, e]) => [e.title, id]),
    ...Object.values(story.branches).flatMap((b) => [b.prompt ?? '', b.id]),
    ...story.levels.map((l) => l.id),
    'Venue demo',
  ]
    .filter((s) => s.length > 0)
    .sort((a, b) => b.length - a.length);
  let rest = text;
  for (const c of content) rest = rest.split(c).join(' ');
  return (rest.match(/[A-Za-z]{3,}/g) ?? []).filter((w) => !KEPT.has(w));
}

describe('venue in one command (e2e, --venue-demo)', function () {
  this.timeout(300_000);
  let browser: Browser | undefined;
  let serve: CliProcess | undefined;
  let dataDir = '';
  let story: PackagedStory;
  const urls = { screen: '', dashboard: '', report: '' };

  before(async function () {
    await requireSystem(this, 'chromium');
    const dir = await ensureDemoStory();
    const loaded = await loadPackagedStory(dir);
    assert.ok(loaded.success);
    story = loaded.data.story;
    await buildClient({ minify: false });
    dataDir = await mkdtemp(join(tmpdir(), 'frisson-venue-e2e-'));
    serve = new CliProcess(
      ['serve', '--story', dir, '--db', join(dataDir, 'f.db'), '--port', '0'].concat([
        '--venue-demo',
        '--seats',
        '12',
      ]),
      { env: { FRISSON_LOG_LEVEL: 'warn', FRISSON_CALIBRATION_S: '4' } },
    );
    await serve.waitForStdout(/Report \(during\/after\): +(\S+)/, 60_000);
    const out = serve.stdout;
    urls.screen = /Screen \(project this\): +(\S+)/.exec(out)?.[1] ?? '';
    urls.dashboard = /Operator dashboard: +(\S+)/.exec(out)?.[1] ?? '';
    urls.report = /Report \(during\/after\): +(\S+)/.exec(out)?.[1] ?? '';
    browser = await launchChromium();
    await mkdir(artifacts(), { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await serve?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function open(
    url: string,
    lang: string,
    size = { width: 1400, height: 900 },
  ): Promise<Page> {
    assert.ok(browser);
    const page = await browser.newPage({ viewport: size });
    const u = new URL(url);
    u.searchParams.set('lang', lang);
    await page.goto(u.toString());
    return page;
  }

  it('should print the screen, dashboard and report URLs once', () => {
    const out = serve?.stdout ?? '';
    for (const label of ['Screen (project this)', 'Operator dashboard', 'Report (during/after)']) {
      assert.equal(out.split(label).length - 1, 1, out);
    }
    assert.match(urls.dashboard, /\/dashboard\/\?show=[\w-]+#key=/);
  });

  it('should show the seats labelled on the dashboard, in contact', async () => {
    const page = await open(urls.dashboard, 'en');
    // Function predicates, not strings: a string is eval'd in the page, which the CSP forbids.
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('#seat-map .seat')].filter(
          (s) => !s.classList.contains('no-contact'),
        ).length >= 6,
      null,
      { timeout: 60_000 },
    );
    const labels = await page.$$eval('#seat-map .seat', (els) => els.map((e) => e.textContent));
    assert.deepEqual(
      labels,
      Array.from({ length: 12 }, (_, i) => String(i + 1)),
    );
    assert.match((await page.textContent('#candidates')) ?? '', /\(\d\.\d\d\)/);
    await page.screenshot({ path: join(artifacts(), 'venue-dashboard.png') });
    await page.close();
  });

  it('should show the audience the vote with a countdown on the screen', async () => {
    const page = await open(urls.screen, 'en', { width: 1280, height: 800 });
    // The short cut reaches its first branch within seconds; the countdown shows whole seconds.
    await page.waitForFunction(
      () => {
        const o = document.getElementById('vote-overlay');
        const c = document.getElementById('vote-clock');
        return o !== null && !o.hidden && /^\d+ s$/.test(c?.textContent ?? '');
      },
      null,
      { timeout: 90_000 },
    );
    const prompt = (await page.textContent('#vote-prompt')) ?? '';
    assert.match(prompt, /^Vote now: /);
    assert.ok((await page.$$('#vote-choices li')).length >= 2);
    assert.match((await page.textContent('#vote-note')) ?? '', /\* chosen if nobody votes/);
    assert.equal(await page.isVisible('#hud'), false, 'a screen has no personal HUD');
    await page.screenshot({ path: join(artifacts(), 'venue-screen-vote.png') });
    await page.close();
  });

  it('should show the report with scenes and decisions', async () => {
    const page = await open(urls.report, 'en');
    await page.waitForFunction(
      () => {
        const r = (window as unknown as { __report?: { decisions: unknown[] } }).__report;
        return r !== undefined && r.decisions.length > 5;
      },
      null,
      { timeout: 30_000 },
    );
    const whys = await page.$$eval('#decisions li', (els) => els.map((e) => e.textContent ?? ''));
    assert.ok(
      whys.some((w) => /audience|following the author's curve/.test(w)),
      whys[0],
    );
    assert.ok(!(await page.textContent('body'))?.includes('1 times'));
    await page.screenshot({ path: join(artifacts(), 'venue-report.png'), fullPage: true });
    await page.close();
  });

  it('should leave no English UI string on the zh-CN pages', async () => {
    const seen: Record<string, string[]> = {};
    for (const [name, url] of Object.entries(urls)) {
      const page = await open(url, 'zh-CN');
      await page.waitForTimeout(name === 'report' ? 3000 : 6000);
      // Commands to type (<code>) stay as they are in any language.
      const text = await page.evaluate(
        '(document.querySelectorAll("code").forEach((c) => c.remove()), document.body.innerText)',
      );
      seen[name] = englishLeft(String(text), story);
      await page.screenshot({ path: join(artifacts(), `venue-${name}-zh-CN.png`), fullPage: true });
      await page.close();
    }
    assert.deepEqual(seen, { screen: [], dashboard: [], report: [] });
  });
});
