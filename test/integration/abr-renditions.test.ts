/**
 * ABR: a story packaged with renditions gets a multivariant playlist with one variant per rendition
 * (plus the narration subtitles), and each rendition's media playlist follows the same decisions
 * segment for segment, pointing at that rendition's files.
 */
import * as HLS from 'hls-parser';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkMediaPlaylist } from '../support/playlist-conformance.js';
import { createSession, startTestServer, type TestServer } from '../support/server.js';
import { fixtureStory } from '../support/story-fixture.js';

describe('ABR renditions', () => {
  let t: TestServer;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frisson-abr-'));
    const story = fixtureStory();
    story.renditions = [
      { name: '240p', width: 426, height: 240, bandwidth: 400_000 },
      { name: '480p', width: 854, height: 480, bandwidth: 1_200_000 },
    ];
    for (const scene of Object.values(story.scenes)) {
      for (const v of Object.values(scene.variants)) {
        for (const seg of v.segments) {
          seg.renditionUris = { '240p': `240p/${seg.uri}`, '480p': `480p/${seg.uri}` };
        }
      }
    }
    await mkdir(join(dir, 'story', 'dist'), { recursive: true });
    await writeFile(join(dir, 'story', 'dist', 'manifest.json'), JSON.stringify(story));
    t = await startTestServer({ story: join(dir, 'story') });
  });
  after(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('should list every rendition and serve each with the same decisions', async () => {
    const s = await createSession(t.url);
    const master = HLS.parse(await (await fetch(s.masterUrl)).text());
    assert.ok(master.isMasterPlaylist);
    assert.deepEqual(
      master.variants.map((v) => [v.bandwidth, v.resolution?.height]),
      [
        [400_000, 240],
        [1_200_000, 480],
      ],
    );
    assert.ok(master.variants.every((v) => v.codecs === 'avc1.42c01e,mp4a.40.2'));
    const lists = await Promise.all(
      master.variants.map(async (v) =>
        checkMediaPlaylist(await (await fetch(new URL(v.uri, s.masterUrl))).text()),
      ),
    );
    const [low, high] = lists;
    assert.ok(low && high && low.segments.length > 0);
    assert.deepEqual(
      low.segments.map((x) => [x.msn, x.duration, x.discontinuity, x.uri.replace('/240p/', '/')]),
      high.segments.map((x) => [x.msn, x.duration, x.discontinuity, x.uri.replace('/480p/', '/')]),
    );
    assert.ok(high.segments.every((x) => x.uri.includes('/480p/')));
  });

  it('should refuse an unknown rendition with a coded 404', async () => {
    const s = await createSession(t.url);
    const res = await fetch(`${s.playlistUrl}&rendition=4k`);
    assert.equal(res.status, 404);
    const body = (await res.json()) as { error: { code: string } };
    assert.equal(body.error.code, 'FRISSON_ERR_NOT_FOUND');
  });
});
