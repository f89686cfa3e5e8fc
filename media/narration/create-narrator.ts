/**
 * Builds a story's narrator from configuration: always the GrammarNarrator; wrapped in an
 * LlmNarrator (with the grammar as its fallback) when an LLM backend is configured. One narrator
 * per loaded story, shared by its sessions (the LLM cache is per instance).
 */
import { z } from 'zod';
import type { PackagedStory } from '../../contracts/story.js';
import { GrammarNarrator } from './grammar-narrator.js';
import { LlmNarrator, type LlmNarratorOptions } from './llm-narrator.js';
import { parseNarrationGrammar } from './narration-grammar.js';
import type { Narrator } from './narrator.js';

export const NarrationConfigSchema = z.object({
  /** Narration off: `narrate` is never called by the session (the lead decides); kept for config. */
  enabled: z.boolean().default(true),
  llm: z
    .object({
      baseUrl: z.url(),
      model: z.string().min(1),
      apiKey: z.string().optional(),
      budgetMs: z.number().int().positive().max(10_000).default(800),
      maxChars: z.number().int().positive().default(140),
    })
    .optional(),
});
export type NarrationConfig = z.input<typeof NarrationConfigSchema>;

/**
 * Reads `FRISSON_LLM_BASE_URL`, `FRISSON_LLM_MODEL`, `FRISSON_LLM_API_KEY`,
 * `FRISSON_LLM_BUDGET_MS` and `FRISSON_NARRATION` (`off` disables).
 * @example narrationConfigFromEnv({ FRISSON_LLM_BASE_URL: 'http://127.0.0.1:8080/v1', FRISSON_LLM_MODEL: 'qwen2.5' })
 */
export function narrationConfigFromEnv(env: NodeJS.ProcessEnv = process.env): NarrationConfig {
  const config: NarrationConfig = { enabled: env.FRISSON_NARRATION !== 'off' };
  if (env.FRISSON_LLM_BASE_URL && env.FRISSON_LLM_MODEL) {
    const budget = Number(env.FRISSON_LLM_BUDGET_MS);
    config.llm = {
      baseUrl: env.FRISSON_LLM_BASE_URL,
      model: env.FRISSON_LLM_MODEL,
      ...(env.FRISSON_LLM_API_KEY ? { apiKey: env.FRISSON_LLM_API_KEY } : {}),
      ...(Number.isFinite(budget) && budget > 0 ? { budgetMs: Math.round(budget) } : {}),
    };
  }
  return config;
}

export interface CreatedNarrator {
  narrator: Narrator;
  grammar: GrammarNarrator;
  /** Set when an LLM backend is configured (for `stats()`). */
  llm?: LlmNarrator;
  /** Problems with the story's narration payload (the defaults are used instead). */
  issues: string[];
}

/**
 * @example
 * const { narrator } = createNarrator(story, narrationConfigFromEnv());
 */
export function createNarrator(
  story: Pick<PackagedStory, 'narration' | 'locales' | 'contentRating' | 'title'> & {
    description?: string;
  },
  config: NarrationConfig = {},
  extra: Pick<LlmNarratorOptions, 'fetch' | 'onFallback'> = {},
): CreatedNarrator {
  const parsedConfig = NarrationConfigSchema.parse(config);
  const { narrator: grammar, issues } = GrammarNarrator.fromStory(story);
  if (!parsedConfig.llm) return { narrator: grammar, grammar, issues };
  const payload = parseNarrationGrammar(story.narration, { defaultLocale: story.locales[0] });
  const premise = payload.success ? payload.data.premise : undefined;
  const characters = payload.success ? payload.data.characters : undefined;
  const llm = new LlmNarrator({
    ...parsedConfig.llm,
    fallback: grammar,
    contentRating: story.contentRating,
    storyContext: premise ?? story.description,
    characters,
    locales: grammar.availableLocales,
    ...extra,
  });
  return { narrator: llm, grammar, llm, issues };
}
