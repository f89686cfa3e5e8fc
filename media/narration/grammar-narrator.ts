/**
 * The default narrator: expands a Tracery-style grammar (built-in defaults, overridden symbol by
 * symbol by the story's grammar) filled from the scene, story variables and the viewer's state.
 * Deterministic: the same (seed, sessionId, msn) and inputs give the same line. Synchronous work
 * of a few microseconds; never rejects.
 */
import { performance } from 'node:perf_hooks';
import type { PackagedStory } from '../../contracts/story.js';
import { DEFAULT_NARRATION_GRAMMARS } from './default-grammars.js';
import { GrammarExpander, type GrammarRules } from './grammar-expander.js';
import { parseNarrationGrammar, type NarrationGrammar } from './narration-grammar.js';
import { resolveNarrationLocale } from './narration-locale.js';
import type { NarrationLine, NarrationRequest, Narrator } from './narrator.js';
import { createSeededRandom } from '../../contracts/random.js';

export interface GrammarNarratorOptions {
  /** The story's validated grammar (see {@link parseNarrationGrammar}). */
  grammar?: NarrationGrammar;
  /** Replaces the built-in default grammars (locale → rules). */
  defaults?: Readonly<Record<string, GrammarRules>>;
  /** |arousalSlope| (per second) above which the heart counts as rising/falling. Default 0.01. */
  slopeThreshold?: number;
  /** Clock for `latencyMs`. */
  now?: () => number;
}

/** Said when a grammar produces nothing (e.g. a story grammar without any entry symbol). */
const LAST_RESORT = '\u2026';

export class GrammarNarrator implements Narrator {
  private readonly grammar: NarrationGrammar;
  private readonly defaults: Readonly<Record<string, GrammarRules>>;
  private readonly slopeThreshold: number;
  private readonly now: () => number;
  private readonly locales: readonly string[];

  constructor(options: GrammarNarratorOptions = {}) {
    this.grammar = options.grammar ?? { locales: {} };
    this.defaults = options.defaults ?? DEFAULT_NARRATION_GRAMMARS;
    this.slopeThreshold = options.slopeThreshold ?? 0.01;
    this.now = options.now ?? (() => performance.now());
    this.locales = [
      ...new Set([...Object.keys(this.defaults), ...Object.keys(this.grammar.locales)]),
    ];
  }

  /**
   * Builds a narrator from a packaged story's opaque `narration` payload. An invalid payload is
   * reported in `issues` and the built-in defaults are used, so playback never depends on it.
   * @example
   * const { narrator, issues } = GrammarNarrator.fromStory(story);
   */
  static fromStory(
    story: Pick<PackagedStory, 'narration'> & { locales?: readonly string[] },
    options: Omit<GrammarNarratorOptions, 'grammar'> = {},
  ): { narrator: GrammarNarrator; issues: string[] } {
    const parsed = parseNarrationGrammar(story.narration, { defaultLocale: story.locales?.[0] });
    if (parsed.success)
      return { narrator: new GrammarNarrator({ ...options, grammar: parsed.data }), issues: [] };
    const issues = parsed.error.issues.map((i) => `narration.${i.path.join('.')}: ${i.message}`);
    return { narrator: new GrammarNarrator(options), issues };
  }

  /** Locales this narrator can speak (defaults ∪ story). */
  get availableLocales(): readonly string[] {
    return this.locales;
  }

  narrate(req: NarrationRequest): Promise<NarrationLine> {
    return Promise.resolve(this.line(req));
  }

  /** Synchronous form of {@link narrate}. */
  line(req: NarrationRequest): NarrationLine {
    const started = this.now();
    const locale = resolveNarrationLocale(req.story.locale, this.locales);
    let text: string;
    try {
      text = this.render(req, locale);
    } catch {
      text = LAST_RESORT;
    }
    return { text, locale, source: 'grammar', latencyMs: this.now() - started };
  }

  private render(req: NarrationRequest, locale: string): string {
    const base = this.defaults[locale] ?? this.defaults.en ?? {};
    const rules: Record<string, readonly string[]> = { ...base, ...this.grammar.locales[locale] };
    Object.assign(rules, this.runtimeSymbols(req, rules));

    const entry = this.entrySymbol(req, rules);
    if (!entry) return LAST_RESORT;
    const expander = new GrammarExpander(rules, {
      random: createSeededRandom(req.seed, req.sessionId, req.msn),
    });
    const text = expander
      .flatten(entry)
      .replace(/\(\([^()]*\)\)/g, '') // undefined symbols render as ((name)) in Tracery
      .replace(/\s+/g, ' ')
      .trim();
    return text.length > 0 ? text : LAST_RESORT;
  }

  private entrySymbol(
    req: NarrationRequest,
    rules: Record<string, readonly string[]>,
  ): string | undefined {
    if ((rules.hook?.length ?? 0) > 0) return 'hook';
    const byLevel = `origin_${symbolName(req.level.id)}`;
    if ((rules[byLevel]?.length ?? 0) > 0) return byLevel;
    return (rules.origin?.length ?? 0) > 0 ? 'origin' : undefined;
  }

  /** Symbols computed from the request; they take precedence over grammar rules of the same name. */
  private runtimeSymbols(
    req: NarrationRequest,
    rules: Record<string, readonly string[]>,
  ): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    const literal = (s: string): string => s.replace(/[\\#[\]]/g, (c) => `\\${c}`);
    const { viewer } = req;

    const heartKnown = viewer.heartRate !== null && Number.isFinite(viewer.heartRate);
    if (heartKnown) out.bpm = [String(Math.round(viewer.heartRate ?? 0))];
    if (viewer.baselineHeartRate !== null && Number.isFinite(viewer.baselineHeartRate)) {
      out.baselineBpm = [String(Math.round(viewer.baselineHeartRate))];
    }
    if (viewer.arousalSlope > this.slopeThreshold) {
      out.viewer =
        heartKnown && rules.heartRisingBpm
          ? ['#heartRising#', '#heartRisingBpm#']
          : ['#heartRising#'];
    } else if (viewer.arousalSlope < -this.slopeThreshold) {
      out.viewer = ['#heartFalling#'];
    } else {
      out.viewer = ['#heartSteady#'];
    }

    const where = req.scene.tags.map((t) => `tag_${symbolName(t)}`).filter((s) => rules[s]);
    out.where = where.length > 0 ? where.map((s) => `#${s}#`) : ['#place#'];

    out.storyTitle = [literal(req.story.title)];
    out.sceneTitle = [literal(req.scene.title)];
    out.level = [literal(req.level.id)];
    if (req.scene.mood) out.mood = [literal(req.scene.mood)];
    for (const [name, value] of Object.entries(req.variables)) {
      out[`var_${name.replace(/[\s#.[\]:,\\]+/g, '-')}`] = [literal(String(value))];
    }

    const hooks = (req.scene.hooks ?? []).filter((h) => h.trim().length > 0);
    if (hooks.length > 0) {
      // A hook naming a defined symbol expands it; anything else is a (grammar) line of its own.
      out.hook = hooks.map((h) => (/^[^\s#.[\]:,\\]+$/.test(h) && rules[h] ? `#${h}#` : h));
    }
    return out;
  }
}

/** Makes a tag/level/variable name usable inside `#…#`. */
function symbolName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s#.[\]:,\\]+/g, '-');
}
