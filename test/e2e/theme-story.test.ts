/**
 * A story written from one sentence (`frisson story new --theme …`) validates, packages and plays
 * in the real player: hls.js in Chromium plays its placeholder media without a stall.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { buildClient } from '../../tools/build-client.js';
import { writeStoryFromTheme } from '../../tools/story/write-story-from-theme.js';
import { packageStory } from '../../media/packager/package-story.js';
import { validateStory } from '../../media/story/validate-story.js';
import { launchChromium } from '../support/browser.js';
import { createSession, startTestServer, type TestServer } from '../support/server.js';
import { requireSystem } from '../support/system-deps.js';

describe('story from a theme plays in the player (Chromium)', function () {
  this.timeout(300_000);
  let dir: string;
  let t: TestServer | undefined;
  let browser: Browser | undefined;

  before(async function () {
    await requireSystem(this, 'chromium');
    dir = await mkdtemp(join(tmpdir(), 'frisson-theme-'));
    await buildClient({ minify: false });
  });
  after(async () => {
    await browser?.close();
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('should validate, package and play without stalling', async () => {
    const storyDir = join(dir, 'cinema');
    const written = await writeStoryFromTheme(
      storyDir,
      'a night guard hears something in the empty cinema',
      { width: 320, height: 180, clipSeconds: 4, segmentDuration: 1 },
    );
    assert.equal(written.source, 'grammar');
    assert.deepEqual(await validateStory(storyDir), []);
    await packageStory(storyDir, {});

    t = await startTestServer({ story: storyDir });
    const s = await createSession(t.url);
    browser = await launchChromium();
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(s.playerUrl);
    // A function, not a string: a string predicate is eval'd in the page, which its CSP forbids.
    await page.waitForFunction(
      () => (window as unknown as { __frisson?: { playing: boolean } }).__frisson?.playing === true,
      null,
      { timeout: 60_000 },
    );
    const t0 = await page.evaluate<number>('document.querySelector("video").currentTime');
    await new Promise((r) => setTimeout(r, 6000));
    const diag = await page.evaluate<{ time: number; stalls: number; title: string }>(
      '({ time: document.querySelector("video").currentTime, stalls: window.__frisson.stalls, title: document.getElementById("hud-scene").textContent })',
    );
    assert.ok(diag.time - t0 > 4, `playback did not advance (${t0} → ${diag.time})`);
    assert.equal(diag.stalls, 0);
    assert.ok(diag.title && diag.title !== '–', 'the HUD never showed a scene');
    assert.deepEqual(errors, []);
    const decisions = await t.server.store.listDecisions(s.id);
    assert.ok(decisions.length >= 6);
  });
});
