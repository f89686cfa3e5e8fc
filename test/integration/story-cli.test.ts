/**
 * The story commands and `serve` as a person runs them (`node --import tsx tools/cli.ts …`, real
 * processes): a missing story is one plain line, and `serve` never serves a dist/ older than its
 * story — a story of your own fails fast with the fix, the demo is brought up to date.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { packageStory } from '../../media/packager/package-story.js';
import { ensureDemoStory } from '../support/demo-story.js';
import { REPO_DIR } from '../support/processes.js';
import { copyFixture, renderTwoRoomsMedia } from '../unit/media/packager/tiny-media.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** `serve` got as far as serving (it is then stopped with SIGTERM). */
  served: boolean;
}

/** Runs `frisson <args>` to its end, or until it says it is serving. */
function frisson(args: string[], timeoutMs = 60_000): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tools/cli.ts', ...args], {
      cwd: REPO_DIR,
      env: { ...process.env, FRISSON_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let served = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      if (!served && stdout.includes('Press Ctrl+C to stop.')) {
        served = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.once('error', fail);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, served });
    });
  });
}

describe('frisson story validate (cli)', function () {
  this.timeout(60_000);

  it('should say in one plain line that there is no story at a missing directory', async () => {
    const dir = join(tmpdir(), 'frisson-cli-no-such-story');
    const run = await frisson(['story', 'validate', dir]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.equal(
      run.stderr,
      `frisson: no story at ${dir} (expected ${dir}/story.yaml); create one with frisson story new ${dir}\n`,
    );
  });
});

describe('frisson serve: stale packages (cli)', function () {
  this.timeout(180_000);
  const dirs: string[] = [];
  let story = '';

  before(async () => {
    story = await copyFixture('two-rooms');
    dirs.push(story);
    await renderTwoRoomsMedia(story);
    await packageStory(story);
  });
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  const serve = (dir: string, ...args: string[]): Promise<Run> =>
    frisson(['serve', '--story', dir, '--db', join(dir, 'frisson.db'), '--port', '0', ...args]);

  it('should serve a package that matches its story', async () => {
    const run = await serve(story);
    assert.ok(run.served, run.stdout + run.stderr);
    assert.match(run.stdout, /Frisson is serving "Two Rooms"/);
  });

  it('should refuse, in one line naming the change and the fix, a story.yaml edited since packaging', async () => {
    const text = await readFile(join(story, 'story.yaml'), 'utf8');
    await writeFile(
      join(story, 'story.yaml'),
      text.replace('title: Two Rooms', 'title: Two Doors'),
    );
    try {
      const run = await serve(story);
      assert.equal(run.served, false, 'served the old package');
      assert.equal(run.code, 1);
      assert.equal(
        run.stderr,
        `frisson: ${story}/story.yaml changed since ${story}/dist was packaged; ` +
          `run frisson story package ${story}\n`,
      );
    } finally {
      await writeFile(join(story, 'story.yaml'), text);
    }
  });

  it('should bring an out-of-date demo up to date before serving it with --demo', async () => {
    // A demo made by an older demo script: its story.yaml and package agree with each other, not
    // with this version's script.
    const demo = await mkdtemp(join(tmpdir(), 'frisson-old-demo-'));
    dirs.push(demo);
    await cp(await ensureDemoStory(), demo, { recursive: true });
    const text = await readFile(join(demo, 'story.yaml'), 'utf8');
    await writeFile(
      join(demo, 'story.yaml'),
      text.replace('title: The Night Shift', 'title: The Night Shift (old cut)'),
    );
    await packageStory(demo);
    const run = await serve(demo, '--demo');
    assert.ok(run.served, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      new RegExp(`Updating the demo story in ${demo} \\(the demo script changed\\)`),
    );
    assert.match(run.stdout, /Frisson is serving "The Night Shift" from/);
    // Nothing was rendered again for a moved demo: only the package was rebuilt.
    const again = await serve(demo, '--demo');
    assert.ok(again.served, again.stdout + again.stderr);
    assert.doesNotMatch(again.stdout, /Updating the demo story/);
  });
});
