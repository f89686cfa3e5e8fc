/**
 * A word-list content filter bound to a story's content rating, applied to LLM output (the
 * grammar fallback is authored, so it is trusted). Ratings are ordered G < PG < PG-13 < R; a term
 * listed for a rating is blocked in every rating below it. `never` terms are blocked everywhere.
 *
 * English terms match whole words case-insensitively; a trailing `*` matches any word starting with
 * the stem. CJK terms match as substrings. Unknown ratings are treated as G (strictest), so a typo
 * can only make narration tamer.
 */

export type RatingTier = 'G' | 'PG' | 'PG-13' | 'R';
const TIERS: readonly RatingTier[] = ['G', 'PG', 'PG-13', 'R'];

/** Minimum tier at which each term becomes acceptable. */
// prettier-ignore
const TERMS: Readonly<Record<Exclude<RatingTier, 'G'> | 'never', readonly string[]>> = {
  PG: [
    'blood', 'bloody', 'bleed*', 'dead', 'death', 'die', 'dies', 'dying', 'kill*', 'corpse*',
    'murder*', 'damn', 'hell', 'skull*', 'coffin*', 'stab', 'stabs', 'stabbed', 'stabbing',
    'weapon*', 'knife', 'knives', 'gun*',
    '血', '死', '杀', '尸', '谋杀', '该死', '地狱', '骷髅', '棺材', '刀',
  ],
  'PG-13': [
    'gore', 'gory', 'severed', 'mutilat*', 'entrails', 'decapitat*', 'dismember*', 'butcher*',
    'shit*', 'bitch*', 'bastard*', 'asshole*', 'torture*', 'suicide*',
    '血肉模糊', '肢解', '断头', '内脏', '狗屎', '婊子', '混蛋', '王八蛋', '酷刑', '自杀',
  ],
  R: [
    'fuck*', 'motherfuck*', 'cunt*', 'disembowel*', 'eviscerat*', 'naked', 'nude*', 'sex*',
    '操你', '他妈的', '肏', '开膛破肚', '裸体', '性交',
  ],
  never: ['rape*', 'raping', 'molest*', 'pedophil*', 'paedophil*', '强奸', '性侵', '恋童'],
};

export type ContentCheck = { ok: true } | { ok: false; term: string };

export interface ContentFilterOptions {
  /** Extra terms blocked regardless of rating (story specific). */
  blocked?: readonly string[];
}

/** Maps rating labels (MPA, TV, common national ones) to a tier; unknown → G. */
export function ratingTier(rating: string | undefined): RatingTier {
  const r = (rating ?? '').trim().toUpperCase().replace(/\s+/g, '');
  if (['G', 'TV-Y', 'TV-Y7', 'TV-G', 'U', 'ALL'].includes(r)) return 'G';
  if (['PG', 'TV-PG', '7', '10', '12'].includes(r)) return 'PG';
  if (['PG-13', 'PG13', 'TV-14', '12A', '13', '14', '15', '16'].includes(r)) return 'PG-13';
  if (['R', 'NC-17', 'NC17', 'TV-MA', '17', '18', 'R18', 'X'].includes(r)) return 'R';
  return 'G';
}

export class ContentFilter {
  readonly tier: RatingTier;
  private readonly words: string[] = [];
  private readonly stems: string[] = [];
  private readonly cjk: string[] = [];

  constructor(rating: string | undefined, options: ContentFilterOptions = {}) {
    this.tier = ratingTier(rating);
    const allowedUpTo = TIERS.indexOf(this.tier);
    const blocked = [
      ...TIERS.slice(allowedUpTo + 1).flatMap((t) => (t === 'G' ? [] : TERMS[t])),
      ...TERMS.never,
      ...(options.blocked ?? []),
    ];
    for (const raw of blocked) {
      const term = raw.trim().toLowerCase();
      if (term.length === 0) continue;
      if (!/^[\p{Script=Latin}\p{N}'*-]+$/u.test(term)) this.cjk.push(term);
      else if (term.endsWith('*')) this.stems.push(term.slice(0, -1));
      else this.words.push(term);
    }
  }

  /**
   * @example new ContentFilter('PG').check('It was covered in blood') // { ok: false, term: 'blood' }
   */
  check(text: string): ContentCheck {
    const lower = text.toLowerCase();
    for (const term of this.cjk) if (lower.includes(term)) return { ok: false, term };
    for (const word of lower.match(/[\p{Script=Latin}\p{N}']+/gu) ?? []) {
      const bare = word.replace(/'s$|'/g, '');
      if (this.words.includes(bare)) return { ok: false, term: bare };
      const stem = this.stems.find((s) => bare.startsWith(s));
      if (stem !== undefined) return { ok: false, term: `${stem}*` };
    }
    return { ok: true };
  }
}
