import assert from 'node:assert/strict';
import {
  NarrationCache,
  narrationStateBucket,
} from '../../../../media/narration/narration-cache.js';

const viewer = { arousal: 0.5, arousalSlope: 0.05, heartRate: 90, baselineHeartRate: 70 };

describe('NarrationCache', () => {
  it('should bucket viewer state by arousal level and trend', () => {
    assert.equal(narrationStateBucket(viewer), 'mid-rising');
    assert.equal(
      narrationStateBucket({ ...viewer, arousal: 0.9, arousalSlope: -0.2 }),
      'high-falling',
    );
    assert.equal(narrationStateBucket({ ...viewer, arousal: 0.1, arousalSlope: 0 }), 'low-steady');
  });

  it('should share a key within a bucket and not across scenes, levels or locales', () => {
    const cache = new NarrationCache();
    const k = cache.key({ sceneId: 's', levelId: 'tense', locale: 'en', viewer });
    assert.equal(
      cache.key({
        sceneId: 's',
        levelId: 'tense',
        locale: 'en',
        viewer: { ...viewer, arousal: 0.6, heartRate: 99 },
      }),
      k,
    );
    assert.notEqual(cache.key({ sceneId: 't', levelId: 'tense', locale: 'en', viewer }), k);
    assert.notEqual(cache.key({ sceneId: 's', levelId: 'scare', locale: 'en', viewer }), k);
    assert.notEqual(cache.key({ sceneId: 's', levelId: 'tense', locale: 'zh-CN', viewer }), k);
  });

  it('should serve a key only once it holds linesPerKey lines', () => {
    const cache = new NarrationCache(10, 2);
    cache.add('k', 'one');
    assert.equal(cache.get('k'), undefined);
    cache.add('k', 'one');
    assert.equal(cache.get('k'), undefined, 'duplicates do not count');
    cache.add('k', 'two');
    assert.equal(cache.get('k', 0), 'one');
    assert.equal(cache.get('k', 0.99), 'two');
  });

  it('should evict the least recently used key', () => {
    const cache = new NarrationCache(2);
    cache.add('a', '1');
    cache.add('b', '2');
    assert.equal(cache.get('a'), '1');
    cache.add('c', '3');
    assert.equal(cache.size, 2);
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a'), '1');
  });
});
