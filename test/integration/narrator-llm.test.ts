/**
 * LlmNarrator against a real OpenAI-compatible HTTP server on port 0
 * (test/support/openai-test-server.ts): normal answers are used; slow, failing, malformed and
 * empty answers fall back to the grammar line within the budget.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { createNarrator } from '../../media/narration/create-narrator.js';
import { GrammarNarrator } from '../../media/narration/grammar-narrator.js';
import { LlmNarrator, type LlmNarratorOptions } from '../../media/narration/llm-narrator.js';
import { startOpenAiTestServer, type OpenAiTestServer } from '../support/openai-test-server.js';
import { narrationRequest } from '../unit/media/narration/narration-request-fixture.js';

describe('LlmNarrator against an OpenAI-compatible server', () => {
  let server: OpenAiTestServer;
  const grammar = new GrammarNarrator();

  beforeEach(async () => {
    server = await startOpenAiTestServer();
  });
  afterEach(async () => {
    await server.close();
  });

  const narrator = (options: Partial<LlmNarratorOptions> = {}): LlmNarrator =>
    new LlmNarrator({
      baseUrl: server.baseUrl,
      model: 'test-model',
      apiKey: 'sk-test',
      fallback: grammar,
      ...options,
    });

  it('should use a normal answer and send a non-streaming chat request', async () => {
    const llm = narrator({ storyContext: 'A night guard alone in a closed cinema.' });
    const line = await llm.narrate(narrationRequest());
    assert.equal(line.source, 'llm');
    assert.equal(line.text, server.reply);
    assert.equal(line.locale, 'en');
    assert.equal(server.requests.length, 1);
    const [request] = server.requests;
    assert.equal(request?.authorization, 'Bearer sk-test');
    const body = request?.body as {
      model: string;
      stream: boolean;
      messages: Array<{ role: string; content: string }>;
    };
    assert.equal(body.model, 'test-model');
    assert.equal(body.stream, false);
    assert.deepEqual(
      body.messages.map((m) => m.role),
      ['system', 'user'],
    );
    assert.match(body.messages[1]?.content ?? '', /the projector starts by itself/);
    assert.match(body.messages[1]?.content ?? '', /A night guard alone/);
    assert.equal(llm.stats().llm, 1);
  });

  it('should fall back to the grammar line before a slow (2 s) server answers', async () => {
    server.mode = 'slow';
    const llm = narrator();
    const req = narrationRequest();
    const started = performance.now();
    const line = await llm.narrate(req);
    const elapsed = performance.now() - started;
    assert.equal(line.source, 'grammar');
    assert.equal(line.text, (await grammar.narrate(req)).text);
    assert.equal(server.requests.length, 1, 'the request reached the server');
    assert.equal(server.answered, 0, 'resolved before the server answered');
    assert.ok(
      elapsed < server.delayMs,
      `${elapsed} ms should be below the server's ${server.delayMs} ms delay`,
    );
    assert.equal(llm.stats().fallbacks.timeout, 1);
  });

  for (const [mode, reason] of [
    ['error', 'http-error'],
    ['malformed', 'malformed'],
    ['empty', 'empty'],
  ] as const) {
    it(`should fall back to the grammar line on ${{ error: 'a 500', malformed: 'a malformed', empty: 'an empty' }[mode]} answer`, async () => {
      server.mode = mode;
      const llm = narrator();
      const req = narrationRequest({ story: { locale: 'zh-CN' } });
      const line = await llm.narrate(req);
      assert.equal(server.answered, 1, 'the server did answer');
      assert.equal(line.source, 'grammar');
      assert.equal(line.locale, 'zh-CN');
      assert.equal(line.text, (await grammar.narrate(req)).text);
      assert.equal(llm.stats().fallbacks[reason], 1);
    });
  }

  it('should fall back when the server is unreachable', async () => {
    const baseUrl = server.baseUrl;
    await server.close();
    server = await startOpenAiTestServer(); // afterEach closes this one
    const llm = new LlmNarrator({ baseUrl, model: 'm', fallback: grammar });
    const line = await llm.narrate(narrationRequest());
    assert.equal(line.source, 'grammar');
    assert.equal(llm.stats().fallbacks['network-error'], 1);
  });

  it('should reject an answer the story’s rating forbids and accept it under a laxer rating', async () => {
    server.reply = 'There is blood on every seat.';
    const strict = narrator();
    const g = await strict.narrate(narrationRequest({ story: { contentRating: 'G' } }));
    assert.equal(g.source, 'grammar');
    assert.equal(strict.stats().fallbacks.filtered, 1);
    const lax = await narrator().narrate(narrationRequest({ story: { contentRating: 'R' } }));
    assert.equal(lax.source, 'llm');
    assert.equal(lax.text, server.reply);
  });

  it('should serve a cached line for the same scene, level and state bucket', async () => {
    const llm = narrator();
    const first = await llm.narrate(
      narrationRequest({ msn: 1, viewer: { arousal: 0.5, heartRate: 84 } }),
    );
    const second = await llm.narrate(
      narrationRequest({ msn: 2, viewer: { arousal: 0.55, heartRate: 88 } }),
    );
    assert.equal(first.source, 'llm');
    assert.equal(second.source, 'cache');
    assert.equal(second.text, first.text);
    assert.equal(server.requests.length, 1);
    const otherBucket = await llm.narrate(narrationRequest({ msn: 3, viewer: { arousal: 0.9 } }));
    assert.equal(otherBucket.source, 'llm');
    assert.equal(server.requests.length, 2);
    assert.equal(llm.stats().cache, 1);
  });

  it('should limit the output length at a sentence boundary', async () => {
    server.reply =
      'The lights go out. Somewhere behind row nine, something stands up and starts to walk toward you.';
    const line = await narrator({ maxChars: 40 }).narrate(narrationRequest());
    assert.equal(line.source, 'llm');
    assert.equal(line.text, 'The lights go out.');
  });

  it('should use a Chinese answer for zh-CN', async () => {
    server.reply = '「放映机自己转了起来。别回头。」';
    const line = await narrator().narrate(narrationRequest({ story: { locale: 'zh-CN' } }));
    assert.equal(line.source, 'llm');
    assert.equal(line.locale, 'zh-CN');
    assert.equal(line.text, '放映机自己转了起来。别回头。');
    const body = server.requests[0]?.body as { messages: Array<{ content: string }> };
    assert.match(body.messages[0]?.content ?? '', /Simplified Chinese/);
  });

  it('should answer from the grammar at once when too many requests are in flight', async () => {
    server.mode = 'slow';
    const reasons: string[] = [];
    const llm = narrator({ maxConcurrent: 1, onFallback: (r) => reasons.push(r) });
    const pending = llm.narrate(narrationRequest({ msn: 1 }));
    const busy = await llm.narrate(narrationRequest({ msn: 2 }));
    assert.equal(busy.source, 'grammar');
    assert.deepEqual(reasons, ['busy']);
    assert.equal((await pending).source, 'grammar');
    assert.deepEqual(reasons, ['busy', 'timeout']);
    assert.equal(server.requests.length, 1);
  });

  it('should survive a throwing fallback and metrics hook', async () => {
    server.mode = 'error';
    const llm = narrator({
      fallback: { narrate: () => Promise.reject(new Error('broken grammar')) },
      onFallback: () => {
        throw new Error('broken metrics');
      },
    });
    const line = await llm.narrate(narrationRequest());
    assert.equal(line.source, 'grammar');
    assert.equal(line.text, '\u2026');
  });

  it('should prompt with the story premise and character notes from the story grammar', async () => {
    const { narrator: created } = createNarrator(
      {
        title: 'The Last Screening',
        locales: ['en'],
        contentRating: 'PG-13',
        narration: {
          locales: { en: { origin: 'x' } },
          premise: 'A night guard alone in a closed cinema.',
          characters: [{ name: 'Marta', profile: 'the night guard, sceptical' }],
        },
      },
      { llm: { baseUrl: server.baseUrl, model: 'story-model' } },
    );
    const line = await created.narrate(narrationRequest());
    assert.equal(line.source, 'llm');
    const body = server.requests[0]?.body as {
      model: string;
      messages: Array<{ content: string }>;
    };
    assert.equal(body.model, 'story-model');
    assert.match(
      body.messages[1]?.content ?? '',
      /Story: A night guard alone in a closed cinema\./,
    );
    assert.match(body.messages[1]?.content ?? '', /- Marta: the night guard, sceptical/);
  });
});
