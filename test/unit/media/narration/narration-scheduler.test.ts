import assert from 'node:assert/strict';
import { GrammarNarrator } from '../../../../media/narration/grammar-narrator.js';
import { NarrationScheduler } from '../../../../media/narration/narration-scheduler.js';
import { NarrationTrack } from '../../../../media/narration/narration-track.js';
import type {
  NarrationLine,
  NarrationRequest,
  Narrator,
} from '../../../../media/narration/narrator.js';
import { narrationRequest } from './narration-request-fixture.js';
import { parseWebVtt } from './webvtt-strict-parser.js';

const uri = (msn: number): string => `n/${msn}.vtt`;

/** A narrator whose answers the test releases by hand, in any order. */
class HeldNarrator implements Narrator {
  readonly pending: Array<{ req: NarrationRequest; resolve: (line: NarrationLine) => void }> = [];
  narrate(req: NarrationRequest): Promise<NarrationLine> {
    return new Promise((resolve) => this.pending.push({ req, resolve }));
  }
}

describe('NarrationScheduler', () => {
  it('should narrate at scene starts, level changes and after long silence', async () => {
    const track = new NarrationTrack({ segmentUri: uri });
    const scheduler = new NarrationScheduler({
      narrator: new GrammarNarrator(),
      track,
      periodSeconds: 12,
      minGapSeconds: 6,
    });
    const plan: Array<[string, string]> = [
      ['a', 'calm'], // 0 s scene start → line
      ['a', 'calm'], // 4 s
      ['a', 'scare'], // 8 s level change, gap 8 ≥ 6 → line
      ['a', 'scare'], // 12 s
      ['a', 'scare'], // 16 s
      ['a', 'scare'], // 20 s silence 12 s → line
      ['b', 'scare'], // 24 s scene start (gap 4 s, scene starts always) → line
      ['b', 'calm'], // 28 s level change but gap 4 < 6
    ];
    const cues = await Promise.all(
      plan.map(([scene, level], msn) =>
        scheduler.segment(
          { msn, start: msn * 4, duration: 4 },
          narrationRequest({ msn, scene: { id: scene }, level: { id: level } }),
        ),
      ),
    );
    assert.deepEqual(
      cues.map((c, msn) => (c ? msn : -1)).filter((m) => m >= 0),
      [0, 2, 5, 6],
    );
    const vtt = parseWebVtt(track.segmentVtt(6) ?? '');
    assert.ok(vtt.cues.some((c) => c.id === 'n6' && c.start === 24.25));
  });

  it('should register segments in order even when lines settle out of order', async () => {
    const narrator = new HeldNarrator();
    const track = new NarrationTrack({ segmentUri: uri });
    const seen: number[] = [];
    const scheduler = new NarrationScheduler({
      narrator,
      track,
      onLine: (cue) => seen.push(cue.msn),
    });
    const first = scheduler.segment(
      { msn: 0, start: 0, duration: 4 },
      narrationRequest({ scene: { id: 'a' } }),
    );
    const second = scheduler.segment(
      { msn: 1, start: 4, duration: 4 },
      narrationRequest({ scene: { id: 'b' } }),
    );
    const silent = scheduler.segment({ msn: 2, start: 8, duration: 4 });
    assert.equal(narrator.pending.length, 2, 'both lines requested at once');
    narrator.pending[1]?.resolve({ text: 'second', locale: 'en', source: 'llm', latencyMs: 1 });
    await new Promise((r) => setImmediate(r));
    assert.equal(track.segmentVtt(1), undefined, 'msn 1 waits for msn 0');
    narrator.pending[0]?.resolve({ text: 'first', locale: 'en', source: 'grammar', latencyMs: 1 });
    await Promise.all([first, second, silent]);
    assert.deepEqual(seen, [0, 1]);
    assert.match(
      track.playlist(),
      /n\/0\.vtt\n#EXTINF:4\.000,\nn\/1\.vtt\n#EXTINF:4\.000,\nn\/2\.vtt/,
    );
  });

  it('should stop registering after destroy', async () => {
    const narrator = new HeldNarrator();
    const track = new NarrationTrack({ segmentUri: uri });
    const scheduler = new NarrationScheduler({ narrator, track });
    const pending = scheduler.segment({ msn: 0, start: 0, duration: 4 }, narrationRequest());
    scheduler.destroy();
    narrator.pending[0]?.resolve({ text: 'late', locale: 'en', source: 'grammar', latencyMs: 1 });
    assert.equal(await pending, undefined);
    assert.equal(track.cues().length, 0);
  });
});
