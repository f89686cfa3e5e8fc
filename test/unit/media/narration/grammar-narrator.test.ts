import assert from 'node:assert/strict';
import { ContentFilter } from '../../../../media/narration/content-filter.js';
import { DEFAULT_NARRATION_GRAMMARS } from '../../../../media/narration/default-grammars.js';
import { GrammarNarrator } from '../../../../media/narration/grammar-narrator.js';
import { parseNarrationGrammar } from '../../../../media/narration/narration-grammar.js';
import { narrationRequest } from './narration-request-fixture.js';

const CJK = /[\u4e00-\u9fff]/;

function withGrammar(payload: unknown): GrammarNarrator {
  const parsed = parseNarrationGrammar(payload);
  assert.ok(parsed.success);
  return new GrammarNarrator({ grammar: parsed.data });
}

describe('GrammarNarrator', () => {
  it('should give the same line for the same seed, session and msn', async () => {
    const narrator = new GrammarNarrator();
    for (let msn = 0; msn < 20; msn++) {
      const a = await narrator.narrate(narrationRequest({ msn }));
      const b = await new GrammarNarrator().narrate(narrationRequest({ msn }));
      assert.equal(a.text, b.text);
      assert.equal(a.source, 'grammar');
    }
  });

  it('should vary lines across msn and sessions', async () => {
    const narrator = new GrammarNarrator();
    const lines = new Set<string>();
    for (let msn = 0; msn < 30; msn++)
      lines.add((await narrator.narrate(narrationRequest({ msn }))).text);
    assert.ok(lines.size >= 8, `only ${lines.size} distinct lines`);
    const other = await Promise.all(
      Array.from({ length: 30 }, (_, msn) =>
        narrator.narrate(narrationRequest({ msn, sessionId: 'session-2' })),
      ),
    );
    assert.notDeepEqual(
      other.map((l) => l.text),
      await Promise.all(
        Array.from({ length: 30 }, (_, msn) =>
          narrator.narrate(narrationRequest({ msn })).then((l) => l.text),
        ),
      ),
    );
  });

  it('should render English lines without grammar syntax left over', async () => {
    const narrator = new GrammarNarrator();
    for (let msn = 0; msn < 50; msn++) {
      for (const level of ['calm', 'tense', 'scare', 'custom']) {
        const line = await narrator.narrate(narrationRequest({ msn, level: { id: level } }));
        assert.equal(line.locale, 'en');
        assert.match(line.text, /^[A-Z\u201c"]/, line.text);
        assert.doesNotMatch(line.text, /[#[\]]|\(\(/, line.text);
        assert.doesNotMatch(line.text, CJK);
      }
    }
  });

  it('should render Simplified Chinese lines for zh-CN and zh-Hans', async () => {
    const narrator = new GrammarNarrator();
    for (let msn = 0; msn < 50; msn++) {
      for (const locale of ['zh-CN', 'zh-Hans', 'zh']) {
        const line = await narrator.narrate(
          narrationRequest({ msn, story: { locale }, level: { id: 'scare' } }),
        );
        assert.equal(line.locale, 'zh-CN');
        assert.match(line.text, CJK, line.text);
        assert.doesNotMatch(line.text, /[#[\]]|\(\(|[A-Za-z]/, line.text);
      }
    }
  });

  it('should fall back to English for a locale it has no grammar for', async () => {
    const line = await new GrammarNarrator().narrate(
      narrationRequest({ story: { locale: 'fr-FR' } }),
    );
    assert.equal(line.locale, 'en');
  });

  it('should choose heartRising lines when arousal is rising and heartFalling when falling', async () => {
    const narrator = withGrammar({
      locales: {
        en: {
          origin: '#viewer#',
          heartRising: 'RISING',
          heartRisingBpm: 'RISING #bpm#',
          heartFalling: 'FALLING',
          heartSteady: 'STEADY',
        },
      },
    });
    const texts = async (arousalSlope: number, heartRate: number | null): Promise<Set<string>> => {
      const out = new Set<string>();
      for (let msn = 0; msn < 20; msn++) {
        out.add(
          (
            await narrator.narrate(
              narrationRequest({ msn, level: { id: 'x' }, viewer: { arousalSlope, heartRate } }),
            )
          ).text,
        );
      }
      return out;
    };
    assert.deepEqual([...(await texts(0.05, 97.4))].sort(), ['RISING', 'RISING 97']);
    assert.deepEqual([...(await texts(0.05, null))], ['RISING']);
    assert.deepEqual([...(await texts(-0.05, 70))], ['FALLING']);
    assert.deepEqual([...(await texts(0, 70))], ['STEADY']);
  });

  it('should fill scene tags, titles and variables into the story grammar', async () => {
    const narrator = withGrammar({
      locales: {
        en: {
          origin_tense:
            '#where# | #sceneTitle# | #storyTitle# | #var_visits# | #var_hasFlashlight# | #mood#',
          tag_cinema: 'the cinema',
        },
      },
    });
    const line = await narrator.narrate(narrationRequest({ scene: { tags: ['Cinema'] } }));
    assert.equal(
      line.text,
      'the cinema | The Projection Booth | The Last Screening | 2 | true | dread',
    );
    const untagged = await narrator.narrate(narrationRequest({ scene: { tags: ['unknown-tag'] } }));
    assert.ok(
      DEFAULT_NARRATION_GRAMMARS.en?.place?.includes(untagged.text.split(' | ')[0] ?? ''),
      untagged.text,
    );
  });

  it('should treat grammar syntax in titles and variables as literal text', async () => {
    const narrator = withGrammar({ locales: { en: { origin: '#sceneTitle#' } } });
    const line = await narrator.narrate(
      narrationRequest({ level: { id: 'none' }, scene: { title: 'Room #9 [west]' } }),
    );
    assert.equal(line.text, 'Room #9 [west]');
  });

  it('should let story symbols override the defaults and keep the rest', async () => {
    const narrator = withGrammar({
      locales: { en: { warning: 'Run, Marta.' }, 'zh-CN': { warning: '快跑，玛尔塔。' } },
    });
    const en = new Set<string>();
    const zh = new Set<string>();
    for (let msn = 0; msn < 200; msn++) {
      en.add((await narrator.narrate(narrationRequest({ msn, level: { id: 'scare' } }))).text);
      zh.add(
        (
          await narrator.narrate(
            narrationRequest({ msn, level: { id: 'scare' }, story: { locale: 'zh-CN' } }),
          )
        ).text,
      );
    }
    assert.ok(en.has('Run, Marta.'));
    assert.ok(zh.has('快跑，玛尔塔。'));
    assert.ok(![...en].some((t) => t.includes('Don\u2019t turn around.')));
    assert.ok(en.has('It is right behind you.'), 'default symbols still used');
  });

  it('should narrate a scene hook: a symbol name expands, other text is a line', async () => {
    const narrator = withGrammar({
      locales: { en: { boothLine: 'The projector starts by itself.' } },
    });
    const bySymbol = await narrator.narrate(narrationRequest({ scene: { hooks: ['boothLine'] } }));
    assert.equal(bySymbol.text, 'The projector starts by itself.');
    const literal = await narrator.narrate(
      narrationRequest({ scene: { hooks: ['Nobody bought a ticket for #where#.'] } }),
    );
    assert.match(
      literal.text,
      /^Nobody bought a ticket for (the empty cinema|row after row of empty seats|the night)\.$/,
    );
  });

  it('should use built-in defaults and report issues for an invalid story payload', async () => {
    const { narrator, issues } = GrammarNarrator.fromStory({
      narration: { locales: { en: { 'bad symbol': 'x' } } },
    });
    assert.ok(issues.length > 0);
    const line = await narrator.narrate(narrationRequest());
    assert.ok(line.text.length > 0);
  });

  it('should say an ellipsis rather than fail when a grammar has no entry symbol', async () => {
    const narrator = new GrammarNarrator({ defaults: { en: { warning: ['x'] } } });
    assert.equal((await narrator.narrate(narrationRequest())).text, '\u2026');
  });

  it('should keep the default grammars clean for a G rating in both locales', async () => {
    const narrator = new GrammarNarrator();
    const filter = new ContentFilter('G');
    for (let msn = 0; msn < 300; msn++) {
      for (const locale of ['en', 'zh-CN']) {
        const line = await narrator.narrate(
          narrationRequest({
            msn,
            story: { locale },
            level: { id: ['calm', 'tense', 'scare'][msn % 3] },
            viewer: { arousalSlope: (msn % 3) - 1 },
          }),
        );
        assert.deepEqual(filter.check(line.text), { ok: true }, line.text);
      }
    }
  });
});
