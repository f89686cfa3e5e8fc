/**
 * `checkStoryDir` against real directories: which ones `serve` starts on, which receive the demo
 * with `--demo`, and the one-line error (naming the directory and the fixing command) for the rest.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_STORY_HEADER } from '../../../media/demo/demo-story.js';
import { checkStoryDir } from '../../../server/story-library.js';
import { writeFixtureStoryDir } from '../../support/server.js';

const cli = 'frisson';

describe('checkStoryDir', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frisson-story-dir-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should accept a packaged story, its dist/ dir and its manifest, with or without --demo', async () => {
    const story = await writeFixtureStoryDir(dir);
    for (const path of [story, join(story, 'dist'), join(story, 'dist', 'manifest.json')]) {
      assert.equal(await checkStoryDir(path, { demo: false, cli }), 'packaged');
      assert.equal(await checkStoryDir(path, { demo: true, cli }), 'packaged');
    }
  });

  it('should render the demo only into a directory that is the demo’s', async () => {
    // Named demo (data/demo, the Docker image's /data/demo), missing or empty.
    assert.equal(await checkStoryDir(join(dir, 'a', 'demo'), { demo: true, cli }), 'render-demo');
    await mkdir(join(dir, 'b', 'demo'), { recursive: true });
    assert.equal(await checkStoryDir(join(dir, 'b', 'demo'), { demo: true, cli }), 'render-demo');
    // Any name, holding the story.yaml the demo wrote (an interrupted first render).
    const half = join(dir, 'half-rendered');
    await mkdir(half);
    await writeFile(join(half, 'story.yaml'), `${DEMO_STORY_HEADER} See docs/stories.md.\nid: x\n`);
    assert.equal(await checkStoryDir(half, { demo: true, cli }), 'render-demo');
  });

  it('should name the directory and `story demo` for a missing one, even with --demo', async () => {
    const typo = join(dir, 'my-flim');
    await assert.rejects(checkStoryDir(typo, { demo: true, cli }), {
      code: 'FRISSON_ERR_STORY_INVALID',
      message: `story directory ${typo} does not exist; check --story (or FRISSON_STORY), or render the demo there with \`frisson story demo ${typo}\``,
    });
    // Without --demo, the demo's own directory says how to get it.
    await assert.rejects(checkStoryDir(join(dir, 'c', 'demo'), { demo: false, cli }), {
      message: /render the demo there with `frisson story demo \S+demo`, or start with --demo$/,
    });
  });

  it('should never render over another story: `story package` for an unpackaged one', async () => {
    const mine = join(dir, 'd', 'demo');
    await mkdir(mine, { recursive: true });
    await writeFile(join(mine, 'story.yaml'), 'id: mine\n');
    await assert.rejects(checkStoryDir(mine, { demo: true, cli: 'npm run frisson --' }), {
      message: `the story in ${mine} is not packaged yet (no dist/manifest.json); run \`npm run frisson -- story package ${mine}\``,
    });
  });

  it('should explain an existing directory with no story in it', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await assert.rejects(checkStoryDir(empty, { demo: true, cli }), {
      message: new RegExp(
        `^${empty} holds no story \\(no story.yaml, no dist/manifest.json\\); .*story demo ${empty}.*story package ${empty}\`$`,
      ),
    });
  });

  it('should report a broken manifest as the loader does', async () => {
    const broken = join(dir, 'broken');
    await mkdir(join(broken, 'dist'), { recursive: true });
    await writeFile(join(broken, 'dist', 'manifest.json'), '{"format":');
    await assert.rejects(checkStoryDir(broken, { demo: false, cli }), {
      message: /dist\/manifest\.json: invalid JSON/,
    });
  });
});
