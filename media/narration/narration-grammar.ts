/**
 * The story package's narration grammar payload (`PackagedStory.narration`, `story.yaml`
 * `narration:`): Tracery-style rules per locale.
 *
 * ```yaml
 * narration:
 *   locales:
 *     en:
 *       origin_scare: ["#warning#", "It is right behind you."]
 *       tag_cinema: ["the empty cinema"]
 *     zh-CN:
 *       origin_scare: ["它就在你身后。"]
 * ```
 *
 * A flat symbol map without `locales` (as the demo story writes it) is accepted too and stands for
 * the story's first locale:
 *
 * ```yaml
 * narration:
 *   arrival: ["The night shift starts at midnight."]
 * ```
 *
 * Story symbols replace the built-in defaults symbol by symbol (see `default-grammars.ts` for the
 * symbols the narrator recognises and the ones it fills in at run time).
 */
import { z } from 'zod';

/** Symbol names: no whitespace and none of Tracery's syntax characters. */
export const GrammarSymbolSchema = z
  .string()
  .regex(/^[^\s#.[\]:,\\]+$/, 'a symbol name has no whitespace and none of # . [ ] : , \\');

/** A symbol's rules: one string or a non-empty list. Normalised to a list. */
export const GrammarRuleListSchema = z
  .union([z.string(), z.array(z.string()).min(1)])
  .transform((v) => (typeof v === 'string' ? [v] : v));

export const LocaleGrammarSchema = z.record(GrammarSymbolSchema, GrammarRuleListSchema);

/** A character's short profile (given to the LLM narrator as context). */
export const NarrationCharacterSchema = z.object({
  name: z.string().min(1),
  profile: z.string(),
});

export const NarrationGrammarSchema = z.object({
  locales: z.record(z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/), LocaleGrammarSchema),
  /** Story premise for the LLM narrator's prompt. */
  premise: z.string().optional(),
  characters: z.array(NarrationCharacterSchema).optional(),
});

/** Authoring form (rules may be a single string). */
export type NarrationGrammarInput = z.input<typeof NarrationGrammarSchema>;
/** Normalised form (every symbol maps to a list). */
export type NarrationGrammar = z.output<typeof NarrationGrammarSchema>;

export type NarrationGrammarParseResult =
  { success: true; data: NarrationGrammar } | { success: false; error: z.ZodError };

export interface ParseNarrationGrammarOptions {
  /** Locale a flat (locale-less) symbol map belongs to; default `en`. */
  defaultLocale?: string;
}

/**
 * Validates a story's opaque `narration` payload: `{ locales: { <locale>: symbols } }`, or a flat
 * symbol map for `defaultLocale`. `undefined`/`null` is a valid empty grammar (defaults apply).
 * @example
 * const r = parseNarrationGrammar(story.narration, { defaultLocale: story.locales[0] });
 * if (!r.success) console.error(z.prettifyError(r.error));
 */
export function parseNarrationGrammar(
  payload: unknown,
  options: ParseNarrationGrammarOptions = {},
): NarrationGrammarParseResult {
  if (payload === undefined || payload === null) return { success: true, data: { locales: {} } };
  if (isLocaleNarrationGrammar(payload)) {
    const result = NarrationGrammarSchema.safeParse(payload);
    return result.success
      ? { success: true, data: result.data }
      : { success: false, error: result.error };
  }
  const flat = LocaleGrammarSchema.safeParse(payload);
  if (!flat.success) return { success: false, error: flat.error };
  return { success: true, data: { locales: { [options.defaultLocale ?? 'en']: flat.data } } };
}

/** `{ locales: { … } }` (a flat map may also have a symbol named `locales`, but its rules are strings). */
export function isLocaleNarrationGrammar(payload: unknown): boolean {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return false;
  const locales: unknown = (payload as Record<string, unknown>).locales;
  return typeof locales === 'object' && locales !== null && !Array.isArray(locales);
}
