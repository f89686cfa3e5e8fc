/**
 * Locale resolution for narration: a requested BCP 47 tag is matched against the locales a grammar
 * (or prompt) supports — exact, case-insensitive, then by script/language (`zh`, `zh-Hans`,
 * `zh-SG` → `zh-CN`), then `en`, then the first available.
 */

/** Picks the best of `available` for `requested`. `available` must not be empty. */
export function resolveNarrationLocale(requested: string, available: readonly string[]): string {
  const wanted = requested.trim().replace(/_/g, '-').toLowerCase();
  const exact = available.find((l) => l.toLowerCase() === wanted);
  if (exact) return exact;
  const language = wanted.split('-')[0] ?? '';
  const simplified = language === 'zh' && !/-(hant|tw|hk|mo)\b/.test(wanted);
  const candidates = available.filter((l) => l.toLowerCase().split('-')[0] === language);
  if (simplified) {
    const zhCn = candidates.find((l) => /^zh-(cn|hans)/i.test(l));
    if (zhCn) return zhCn;
  }
  const sameLanguage = candidates[0];
  if (sameLanguage) return sameLanguage;
  return available.find((l) => l.toLowerCase() === 'en') ?? available[0] ?? 'en';
}

/** English name of a locale's language, for prompts ("Write in Simplified Chinese"). */
export function narrationLanguageName(locale: string): string {
  const lower = locale.toLowerCase();
  if (/^zh-(cn|hans|sg)/.test(lower) || lower === 'zh') return 'Simplified Chinese';
  if (/^zh-/.test(lower)) return 'Traditional Chinese';
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(locale) ?? locale;
  } catch {
    return locale;
  }
}

/** True for locales written without spaces between words (length limits count characters). */
export function isCjkLocale(locale: string): boolean {
  return /^(zh|ja|ko)\b/i.test(locale);
}
