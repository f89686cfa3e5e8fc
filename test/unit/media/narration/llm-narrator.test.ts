// Transport behaviour (budget, HTTP errors, cache) is tested against a real server in
// test/integration/narrator-llm.test.ts; this file covers the pure parts.
import assert from 'node:assert/strict';
import { cleanCompletion } from '../../../../media/narration/llm-narrator.js';

describe('cleanCompletion', () => {
  it('should drop reasoning blocks, speaker labels and wrapping quotes', () => {
    assert.equal(cleanCompletion('<think>scary?</think>\n"Don\'t look up."'), "Don't look up.");
    assert.equal(cleanCompletion('Narrator: The lights die.'), 'The lights die.');
    assert.equal(cleanCompletion('旁白：「别回头。」'), '别回头。');
    assert.equal(cleanCompletion('<think>never closed'), '');
  });

  it('should keep inner quotes', () => {
    assert.equal(cleanCompletion('She said "run" and ran.'), 'She said "run" and ran.');
  });
});
