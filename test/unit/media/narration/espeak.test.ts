import assert from 'node:assert/strict';
import { detectEspeak, espeakVoice, synthesizeSpeech } from '../../../../media/narration/espeak.js';
import { requireSystem } from '../../../support/system-deps.js';

describe('espeak', () => {
  it('should map locales to espeak-ng voices', () => {
    assert.equal(espeakVoice('zh-CN'), 'cmn');
    assert.equal(espeakVoice('zh-HK'), 'yue');
    assert.equal(espeakVoice('en-GB'), 'en');
  });

  it('should report a missing binary as not installed', async () => {
    const binary = 'frisson-no-such-espeak-binary';
    const detection = await detectEspeak({ binary });
    assert.equal(detection.available, false);
    const result = await synthesizeSpeech('hello', 'en', { binary });
    assert.deepEqual(result, {
      ok: false,
      code: 'not-installed',
      message: `${binary} is not installed`,
    });
  });

  it('should synthesise a RIFF/WAVE clip with espeak-ng', async function () {
    await requireSystem(this, 'espeak-ng');
    const result = await synthesizeSpeech('Don\u2019t turn around.', 'en');
    assert.ok(result.ok, result.ok ? '' : result.message);
    assert.equal(result.wav.toString('ascii', 0, 4), 'RIFF');
    assert.equal(result.wav.toString('ascii', 8, 12), 'WAVE');
    const zh = await synthesizeSpeech('它就在你身后。', 'zh-CN');
    assert.ok(zh.ok, zh.ok ? '' : zh.message);
    assert.equal(zh.voice, 'cmn');
    assert.equal(zh.wav.toString('ascii', 0, 4), 'RIFF');
  });
});
