/**
 * A home viewer without a sensor opens on the calm variant (issue 21: it opened on SCARE), even
 * when the director would pick the most intense one; from the next scene on the director decides.
 */
import assert from 'node:assert/strict';
import { PickerDirector } from '../../server/session/deadline-director.js';
import type { SyncPicker } from '../../server/session/deadline-director.js';
import { createSession, startTestServer, type TestServer } from '../support/server.js';

/** A director that always wants the most intense candidate. */
const MOST_INTENSE: SyncPicker = {
  name: 'most-intense',
  pickSync: (ctx) => {
    let best = 0;
    ctx.candidates.forEach((c, i) => {
      if (c.intensity > (ctx.candidates[best]?.intensity ?? -1)) best = i;
    });
    return { index: best, picker: 'most-intense', reason: 'test' };
  },
};

async function titles(s: { playlistUrl: string }, n: number): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const text = await fetch(s.playlistUrl).then((r) => r.text());
    const found = [...text.matchAll(/#EXTINF:[\d.]+,(.*)/g)].map((m) => m[1] ?? '');
    if (found.length >= n || Date.now() > deadline) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('home viewer opening', function () {
  this.timeout(30_000);
  let t: TestServer;
  before(async () => {
    t = await startTestServer(
      { horizon: 6 },
      {
        createDirector: () => new PickerDirector({ primary: MOST_INTENSE, fallback: MOST_INTENSE }),
      },
    );
  });
  after(async () => t.close());

  it('should open on the calm variant without a sensor, then let the director decide', async () => {
    const s = await createSession(t.url);
    const seen = await titles(s, 4);
    assert.ok(seen.length >= 4, `published ${seen.join(', ')}`);
    // Scene a (the opening) has two segments: both calm. Scene b is the director's: scare.
    assert.deepEqual(seen.slice(0, 2), ['a/calm', 'a/calm']);
    assert.equal(seen[2], 'b/scare');
  });
});
