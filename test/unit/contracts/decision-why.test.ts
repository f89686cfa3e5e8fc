import assert from 'node:assert/strict';
import { formatWhy, levelName } from '../../../contracts/decision-why.js';

describe('decision why', () => {
  const state = {
    kind: 'state',
    heartDelta: 6.2,
    subject: 'arousal',
    arousal: 0.31,
    sd: 0.08,
    where: 'below',
    target: 0.6,
    level: 'tense',
  } as const;

  it('should say a state-based reason in English and Chinese', () => {
    assert.equal(
      formatWhy(state, 'en'),
      'heart +6 bpm, arousal 0.31 ± 0.08 below target 0.60 → tense',
    );
    assert.equal(
      formatWhy(state, 'zh-CN'),
      '心率 +6 次/分，唤醒度 0.31 ± 0.08，低于目标 0.60 → 紧张',
    );
  });

  it('should say why the curve is followed without heart data', () => {
    assert.equal(
      formatWhy({ kind: 'no-sensor', target: 0.15, level: 'calm' }, 'en'),
      "no heart data: following the author's curve (target 0.15) → calm",
    );
    assert.equal(
      formatWhy({ kind: 'calibrating', remainingS: 11.2, level: 'calm' }, 'zh-CN'),
      '校准中（还需 12 秒）：按作者设定的曲线 → 平缓',
    );
  });

  it('should keep a level it has no name for', () => {
    assert.equal(levelName('dread', 'zh-CN'), 'dread');
    assert.equal(levelName('scare', 'zh-CN'), '惊吓');
  });
});
