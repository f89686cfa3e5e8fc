/**
 * Static checks of a story's narration grammar for `frisson story validate`: schema errors, and
 * symbols that are referenced (by rules or by scene narration hooks) but defined nowhere — not in
 * the story grammar, the built-in defaults, nor the symbols the narrator fills in at run time.
 */
import { DEFAULT_NARRATION_GRAMMARS } from './default-grammars.js';
import { grammarReferences, type GrammarRules } from './grammar-expander.js';
import { isLocaleNarrationGrammar, parseNarrationGrammar } from './narration-grammar.js';

/** A path from the story root, e.g. `['narration', 'locales', 'en', 'origin', 0]`. */
export type NarrationProblemPath = Array<string | number>;

export interface NarrationGrammarProblem {
  code: 'narration-schema' | 'narration-unknown-symbol' | 'narration-locale-defaults';
  severity: 'error' | 'warning';
  path: NarrationProblemPath;
  message: string;
}

/** Symbols the GrammarNarrator defines at run time (besides `var_<variable>`). */
export const RUNTIME_NARRATION_SYMBOLS: readonly string[] = [
  'viewer',
  'where',
  'bpm',
  'baselineBpm',
  'storyTitle',
  'sceneTitle',
  'level',
  'mood',
  'hook',
];

export interface CheckNarrationGrammarInput {
  /** The story's `narration` payload. */
  narration: unknown;
  /** The story's locales (the first one owns a flat grammar). */
  locales?: readonly string[];
  /** Declared story variable names (`#var_<name>#`). */
  variables?: readonly string[];
  /** Scene narration hooks by scene index (`scenes[i].narration`). */
  sceneHooks?: ReadonlyArray<readonly string[] | undefined>;
  defaults?: Readonly<Record<string, GrammarRules>>;
}

/**
 * @example
 * checkNarrationGrammar({ narration: story.narration, locales: story.locales,
 *   variables: Object.keys(story.variables ?? {}), sceneHooks: story.scenes.map((s) => s.narration) });
 * // [{ code: 'narration-unknown-symbol', severity: 'warning', path: ['scenes', 2, 'narration', 0], … }]
 */
export function checkNarrationGrammar(
  input: CheckNarrationGrammarInput,
): NarrationGrammarProblem[] {
  const defaultLocale = input.locales?.[0] ?? 'en';
  const parsed = parseNarrationGrammar(input.narration, { defaultLocale });
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => ({
      code: 'narration-schema',
      severity: 'error',
      path: ['narration', ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
      message: issue.message,
    }));
  }
  const defaults = input.defaults ?? DEFAULT_NARRATION_GRAMMARS;
  const flat = !isLocaleNarrationGrammar(input.narration);
  const problems: NarrationGrammarProblem[] = [];
  const runtime = [...RUNTIME_NARRATION_SYMBOLS, ...(input.variables ?? []).map((v) => `var_${v}`)];
  const locales = new Set([...Object.keys(parsed.data.locales), defaultLocale]);

  for (const locale of locales) {
    const story = parsed.data.locales[locale] ?? {};
    const base = defaults[locale];
    if (!base && Object.keys(story).length > 0) {
      problems.push({
        code: 'narration-locale-defaults',
        severity: 'warning',
        path: flat ? ['narration'] : ['narration', 'locales', locale],
        message: `no built-in narration for "${locale}": symbols it does not define fall back to English`,
      });
    }
    const rules: GrammarRules = { ...(base ?? defaults.en ?? {}), ...story };
    const defined = new Set([...Object.keys(rules), ...runtime]);
    for (const rule of Object.values(rules).flat())
      for (const d of grammarReferences(rule).defines) defined.add(d);

    const unknown = (rule: string): string[] =>
      grammarReferences(rule).uses.filter((u) => !defined.has(u));
    for (const [symbol, list] of Object.entries(story)) {
      list.forEach((rule, i) => {
        for (const name of unknown(rule)) {
          problems.push({
            code: 'narration-unknown-symbol',
            severity: 'warning',
            path: flat ? ['narration', symbol, i] : ['narration', 'locales', locale, symbol, i],
            message: `"#${name}#" is not defined for locale "${locale}" (it will be left out)`,
          });
        }
      });
    }
    (input.sceneHooks ?? []).forEach((hooks, si) => {
      (hooks ?? []).forEach((hook, hi) => {
        const bare = /^[^\s#.[\]:,\\]+$/.test(hook) && rules[hook] ? `#${hook}#` : hook;
        for (const name of unknown(bare)) {
          problems.push({
            code: 'narration-unknown-symbol',
            severity: 'warning',
            path: ['scenes', si, 'narration', hi],
            message: `"#${name}#" is not defined for locale "${locale}" (it will be left out)`,
          });
        }
      });
    });
  }
  return problems;
}
