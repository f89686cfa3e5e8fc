/**
 * Narration from any OpenAI-compatible chat-completions server (llama.cpp server, Ollama, vLLM,
 * hosted APIs): `POST {baseUrl}/chat/completions` with `stream: false`.
 *
 * The line must never delay a segment, so every call runs under a hard budget (default 800 ms,
 * AbortController + timer): when the budget runs out, or the answer is non-200, malformed, empty
 * or rejected by the rating's content filter, the fallback (grammar) line is returned instead and
 * the reason is counted. `narrate` never rejects.
 */
import { performance } from 'node:perf_hooks';
import { requestChatCompletion } from './chat-completion.js';
import { ContentFilter } from './content-filter.js';
import { buildNarrationPrompt, type CharacterNote } from './llm-prompt.js';
import { NarrationCache } from './narration-cache.js';
import { isCjkLocale, resolveNarrationLocale } from './narration-locale.js';
import type { NarrationLine, NarrationRequest, Narrator } from './narrator.js';
import { createSeededRandom } from '../../contracts/random.js';
import { trimLine } from './trim-line.js';

/** Why an LLM line was not used. */
export type LlmFallbackReason =
  'timeout' | 'http-error' | 'network-error' | 'malformed' | 'empty' | 'filtered' | 'busy';

export interface LlmNarratorStats {
  requests: number;
  llm: number;
  cache: number;
  fallbacks: Record<LlmFallbackReason, number>;
}

export interface LlmNarratorOptions {
  /** e.g. `http://127.0.0.1:8080/v1` (llama.cpp), `http://localhost:11434/v1` (Ollama). */
  baseUrl: string;
  model: string;
  /** Sent as `Authorization: Bearer …` when set. */
  apiKey?: string;
  /** Used whenever the LLM line is not (usually a {@link GrammarNarrator}). Must never reject. */
  fallback: Narrator;
  /** Hard limit for the whole call, milliseconds. Default 800. */
  budgetMs?: number;
  /** Output length limit in characters (code points). Default 140 (60 for CJK locales). */
  maxChars?: number;
  maxCharsCjk?: number;
  /** Rating for the content filter; default: the request's `story.contentRating`. */
  contentRating?: string;
  /** Extra terms blocked regardless of rating. */
  blockedTerms?: readonly string[];
  /** Story premise and character notes for the prompt. */
  storyContext?: string;
  characters?: readonly CharacterNote[];
  /** Locales the model may be asked to write; default `en` and `zh-CN`. */
  locales?: readonly string[];
  temperature?: number;
  maxTokens?: number;
  /** LRU size (keys) and distinct lines to collect per key before serving from cache. */
  cacheSize?: number;
  linesPerKey?: number;
  /** In-flight requests above which the fallback is used at once (reason `busy`). Default 4. */
  maxConcurrent?: number;
  slopeThreshold?: number;
  /** Injected for tests/instrumentation; defaults to the global `fetch`. */
  fetch?: typeof fetch;
  now?: () => number;
  /** Called once per fallback (e.g. to increment a prom-client counter). */
  onFallback?: (reason: LlmFallbackReason, req: NarrationRequest) => void;
}

type Outcome = { ok: true; text: string } | { ok: false; reason: LlmFallbackReason };

export class LlmNarrator implements Narrator {
  private readonly budgetMs: number;
  private readonly maxChars: number;
  private readonly maxCharsCjk: number;
  private readonly maxConcurrent: number;
  private readonly locales: readonly string[];
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;
  private readonly cache: NarrationCache;
  private readonly filters = new Map<string, ContentFilter>();
  private inFlight = 0;
  private readonly counters: LlmNarratorStats = {
    requests: 0,
    llm: 0,
    cache: 0,
    fallbacks: {
      timeout: 0,
      'http-error': 0,
      'network-error': 0,
      malformed: 0,
      empty: 0,
      filtered: 0,
      busy: 0,
    },
  };

  constructor(private readonly options: LlmNarratorOptions) {
    this.budgetMs = options.budgetMs ?? 800;
    this.maxChars = options.maxChars ?? 140;
    this.maxCharsCjk = options.maxCharsCjk ?? 60;
    this.maxConcurrent = options.maxConcurrent ?? 4;
    this.locales = options.locales ?? ['en', 'zh-CN'];
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.now = options.now ?? (() => performance.now());
    this.cache = new NarrationCache(
      options.cacheSize ?? 256,
      options.linesPerKey ?? 1,
      options.slopeThreshold ?? 0.01,
    );
  }

  /** A copy of the counters (requests, LLM lines, cache hits, fallbacks by reason). */
  stats(): LlmNarratorStats {
    return { ...this.counters, fallbacks: { ...this.counters.fallbacks } };
  }

  /**
   * Resolves within `budgetMs` (plus the fallback's own, microsecond, cost) and never rejects.
   * @example
   * const narrator = new LlmNarrator({ baseUrl, model: 'qwen2.5-1.5b', fallback: grammar });
   * const { text, source } = await narrator.narrate(req); // source: 'llm' | 'cache' | 'grammar'
   */
  async narrate(req: NarrationRequest): Promise<NarrationLine> {
    const started = this.now();
    this.counters.requests++;
    const locale = resolveNarrationLocale(req.story.locale, this.locales);
    // Start the fallback first so it is ready the moment the budget runs out.
    const fallback = this.safeFallback(req);

    const key = this.cache.key({
      sceneId: req.scene.id,
      levelId: req.level.id,
      locale,
      viewer: req.viewer,
    });
    const cached = this.cache.get(key, createSeededRandom(req.seed, req.sessionId, req.msn)());
    if (cached !== undefined) {
      this.counters.cache++;
      return { text: cached, locale, source: 'cache', latencyMs: this.now() - started };
    }

    let outcome: Outcome;
    if (this.inFlight >= this.maxConcurrent) {
      outcome = { ok: false, reason: 'busy' };
    } else {
      this.inFlight++;
      try {
        outcome = await this.withBudget(req, locale);
      } finally {
        this.inFlight--;
      }
    }

    if (outcome.ok) {
      this.counters.llm++;
      this.cache.add(key, outcome.text);
      return { text: outcome.text, locale, source: 'llm', latencyMs: this.now() - started };
    }
    this.counters.fallbacks[outcome.reason]++;
    try {
      this.options.onFallback?.(outcome.reason, req);
    } catch {
      // a throwing metrics hook must not cost the line
    }
    const line = await fallback;
    return { ...line, latencyMs: this.now() - started };
  }

  private async safeFallback(req: NarrationRequest): Promise<NarrationLine> {
    try {
      return await this.options.fallback.narrate(req);
    } catch {
      return { text: '\u2026', locale: req.story.locale, source: 'grammar', latencyMs: 0 };
    }
  }

  private async withBudget(req: NarrationRequest, locale: string): Promise<Outcome> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve({ ok: false, reason: 'timeout' });
      }, this.budgetMs);
    });
    try {
      return await Promise.race([this.complete(req, locale, controller.signal), expired]);
    } finally {
      clearTimeout(timer);
      controller.abort(); // no-op after a completed request; ends any request still open
    }
  }

  /** One chat-completions round trip; every failure becomes an {@link Outcome}. */
  private async complete(
    req: NarrationRequest,
    locale: string,
    signal: AbortSignal,
  ): Promise<Outcome> {
    const maxChars = isCjkLocale(locale) ? this.maxCharsCjk : this.maxChars;
    const rating = this.options.contentRating ?? req.story.contentRating ?? 'G';
    const result = await requestChatCompletion({
      baseUrl: this.options.baseUrl,
      model: this.options.model,
      apiKey: this.options.apiKey,
      messages: buildNarrationPrompt(req, {
        locale,
        maxChars,
        contentRating: rating,
        storyContext: this.options.storyContext,
        characters: this.options.characters,
      }),
      temperature: this.options.temperature ?? 0.8,
      maxTokens: this.options.maxTokens ?? 96,
      signal,
      fetch: this.fetchFn,
    });
    if (!result.ok) return { ok: false, reason: result.reason };
    const text = trimLine(cleanCompletion(result.content), maxChars);
    if (text.length === 0) return { ok: false, reason: 'empty' };
    if (!this.filterFor(rating).check(text).ok) return { ok: false, reason: 'filtered' };
    return { ok: true, text };
  }

  private filterFor(rating: string): ContentFilter {
    let filter = this.filters.get(rating);
    if (!filter) {
      filter = new ContentFilter(rating, { blocked: this.options.blockedTerms });
      this.filters.set(rating, filter);
    }
    return filter;
  }
}

/** Removes reasoning blocks, speaker labels and wrapping quotes models like to add. */
export function cleanCompletion(content: string): string {
  let text = content.replace(/<think>[\s\S]*?(<\/think>|$)/gi, ' ').trim();
  text = text.replace(/^(narrator|旁白)\s*[:：]\s*/i, '');
  const quotes = /^["'\u201c\u2018\u300c\u300e](.*)["'\u201d\u2019\u300d\u300f]$/su.exec(text);
  if (quotes?.[1] !== undefined) text = quotes[1];
  return text.trim();
}
