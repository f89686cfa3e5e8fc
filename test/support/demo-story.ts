/**
 * One demo story package shared by every test that needs real segments: the demo's short cut
 * (the first 4 s of every scene at 360p, rendered by the same renderer as the film). Generated on
 * first use (≈ 15 s) into `<repo>/data/test-demo` (or `$FRISSON_TEST_DEMO_DIR`) and reused
 * afterwards while it is what this version's demo script renders (otherwise the clips that changed
 * are rendered again and re-packaged). A lock directory serialises concurrent test processes.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { demoOutOfDate, generateDemoStory } from '../../media/demo/demo-story.js';
import { loadPackagedStory } from '../../media/story/load-manifest.js';

/** Where the shared demo lives. */
export function testDemoDir(): string {
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  return process.env.FRISSON_TEST_DEMO_DIR ?? join(repo, 'data', 'test-demo');
}

const STALE_LOCK_MS = 5 * 60_000;

async function isUsable(dir: string): Promise<boolean> {
  return (await loadPackagedStory(dir)).success && (await demoOutOfDate(dir)) === undefined;
}

/**
 * Returns the directory of a packaged demo story (`<dir>/dist/manifest.json` exists and is valid).
 * @example
 * const dir = await ensureDemoStory();
 * const manifest = JSON.parse(await readFile(join(dir, 'dist/manifest.json'), 'utf8'));
 */
export async function ensureDemoStory(): Promise<string> {
  return ensureDemoAt(testDemoDir(), 'short');
}

/**
 * The full demo film (what `npm start` renders: ≥ 5 min on every path, 720p + 360p), for the e2e
 * tests that watch the loop act over minutes. Rendered on first use (≈ 3–5 min on 2 cores) into
 * `<repo>/data/e2e-demo` (or `$FRISSON_E2E_DEMO_DIR`, e.g. `data/demo` to reuse `npm start`'s).
 */
export async function ensureFullDemoStory(): Promise<string> {
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  return ensureDemoAt(process.env.FRISSON_E2E_DEMO_DIR ?? join(repo, 'data', 'e2e-demo'), 'full');
}

async function ensureDemoAt(dir: string, cut: 'short' | 'full'): Promise<string> {
  const lock = `${dir}.lock`;
  for (;;) {
    if (await isUsable(dir)) return dir;
    await mkdir(dirname(dir), { recursive: true });
    try {
      await mkdir(lock);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_LOCK_MS) await rm(lock, { recursive: true, force: true });
      else await sleep(500);
      continue;
    }
    try {
      if (!(await isUsable(dir))) await generateDemoStory(dir, { quiet: true, cut });
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
}
