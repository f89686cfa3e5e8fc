import assert from 'node:assert/strict';
import {
  createNarrator,
  narrationConfigFromEnv,
} from '../../../../media/narration/create-narrator.js';
import { GrammarNarrator } from '../../../../media/narration/grammar-narrator.js';
import { LlmNarrator } from '../../../../media/narration/llm-narrator.js';

const story = {
  title: 'T',
  locales: ['en'],
  contentRating: 'PG',
  narration: { locales: { en: { origin: 'Hello.' } } },
};

describe('createNarrator', () => {
  it('should give the grammar narrator when no LLM is configured', () => {
    const created = createNarrator(story);
    assert.ok(created.narrator instanceof GrammarNarrator);
    assert.equal(created.llm, undefined);
    assert.deepEqual(created.issues, []);
  });

  it('should wrap the grammar narrator in an LLM narrator when configured', () => {
    const created = createNarrator(story, {
      llm: { baseUrl: 'http://127.0.0.1:9/v1', model: 'm' },
    });
    assert.ok(created.narrator instanceof LlmNarrator);
    assert.equal(created.llm, created.narrator);
  });

  it('should reject an invalid LLM configuration', () => {
    assert.throws(() => createNarrator(story, { llm: { baseUrl: 'not a url', model: 'm' } }));
  });

  it('should report an invalid story grammar and keep narrating', () => {
    const created = createNarrator({ ...story, narration: { locales: { en: { origin: [] } } } });
    assert.equal(created.issues.length, 1);
  });

  it('should read the LLM backend from the environment', () => {
    assert.deepEqual(narrationConfigFromEnv({}), { enabled: true });
    assert.deepEqual(
      narrationConfigFromEnv({
        FRISSON_LLM_BASE_URL: 'http://127.0.0.1:8080/v1',
        FRISSON_LLM_MODEL: 'qwen',
        FRISSON_LLM_API_KEY: 'k',
        FRISSON_LLM_BUDGET_MS: '500',
        FRISSON_NARRATION: 'off',
      }),
      {
        enabled: false,
        llm: { baseUrl: 'http://127.0.0.1:8080/v1', model: 'qwen', apiKey: 'k', budgetMs: 500 },
      },
    );
  });
});
