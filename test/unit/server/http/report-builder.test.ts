import assert from 'node:assert/strict';
import { buildReport } from '../../../../server/http/report-builder.js';
import type { DecisionRecord } from '../../../../server/store/store.js';
import { count } from '../../../../contracts/i18n.js';
import { fixtureStory } from '../../../support/story-fixture.js';

function decision(msn: number, scene: string, level: string, arousal: number): DecisionRecord {
  return {
    sessionId: 's',
    msn,
    at: 1_000_000 + msn * 1000,
    scene,
    level,
    segmentIndex: msn,
    uri: `${scene}/${level}/${msn}.ts`,
    duration: 1,
    discontinuity: false,
    picker: 'rule',
    fallback: false,
    reason: 'test',
    why: {
      kind: 'state',
      heartDelta: null,
      subject: 'arousal',
      arousal,
      sd: 0,
      where: 'on',
      target: arousal,
      level,
    },
    arousal,
    latencyMs: 0,
  };
}

describe('report builder', () => {
  const seen = fixtureStory();
  const other = fixtureStory();
  other.id = 'other';
  other.title = 'Other';

  it('should recommend other stories, never the one just seen', () => {
    const r = buildReport({
      kind: 'session',
      id: 's',
      title: seen.title,
      story: seen,
      library: [seen, other],
      decisions: [decision(0, 'a', 'calm', 0.1), decision(1, 'a', 'scare', 0.6)],
      samples: [],
      votes: [],
      endedAt: null,
      lang: 'en',
    });
    assert.deepEqual(
      r.recommendations.map((x) => x.storyId),
      ['other'],
    );
    assert.equal(r.decisions[1]?.why, 'arousal 0.60 on target 0.60 → scare');
    // The fixture's curve rises from 0.2 at 0 s to 0.8 at 7 s; the second segment starts at 1 s.
    assert.equal(r.target[0]?.[1], 0.2);
    assert.ok(Math.abs((r.target[1]?.[1] ?? 0) - (0.2 + 0.6 / 7)) < 1e-9);
    assert.ok(
      r.recap.includes('The director chose a more intense variant once and a calmer one never.'),
    );
  });

  it("should say the reasons in the reader's language", () => {
    const r = buildReport({
      kind: 'session',
      id: 's',
      title: seen.title,
      story: seen,
      library: [seen],
      decisions: [decision(0, 'a', 'scare', 0.6)],
      samples: [],
      votes: [],
      endedAt: null,
      lang: 'zh-CN',
    });
    assert.equal(r.decisions[0]?.why, '唤醒度 0.60，与目标 0.60 持平 → 惊吓');
  });

  it('should pluralise counts', () => {
    assert.equal(count('en', 'scenes', 1), '1 scene');
    assert.equal(count('en', 'scenes', 3), '3 scenes');
    assert.equal(count('en', 'times', 2), 'twice');
    assert.equal(count('en', 'times', 5), '5 times');
    assert.equal(count('zh-CN', 'times', 5), '5 次');
  });
});
