/**
 * A Tracery-compatible grammar expander (Kate Compton's Tracery syntax): `#symbol#`,
 * `#symbol.mod1.mod2#`, actions `[name:#rule#]` (push) and `[name:POP]`, scoped pre-actions
 * `#[hero:#name#]story#`, escapes `\#` `\[`.
 *
 * Written here rather than using `tracery-grammar` because that package draws from a module-level
 * RNG (`tracery.setRng`), which concurrent sessions would share. One expander per expansion; the
 * random source is injected.
 */

/** symbol → alternative rules. */
export type GrammarRules = Readonly<Record<string, readonly string[]>>;
export type GrammarModifier = (text: string) => string;

export interface GrammarExpanderOptions {
  /** Uniform [0, 1) source; pass a seeded one for determinism. */
  random: () => number;
  /** Nesting limit guarding against self-recursive grammars (default 24). */
  maxDepth?: number;
  /** Extra or replacement modifiers, merged over {@link ENGLISH_MODIFIERS}. */
  modifiers?: Readonly<Record<string, GrammarModifier>>;
}

/** Tracery's base English modifiers. Harmless on CJK text (they only touch Latin letters). */
export const ENGLISH_MODIFIERS: Readonly<Record<string, GrammarModifier>> = {
  capitalize: (s) => s.charAt(0).toUpperCase() + s.slice(1),
  capitalizeAll: (s) =>
    s.replace(/(^|[^\p{L}\p{N}'])(\p{L})/gu, (_m, p: string, c: string) => p + c.toUpperCase()),
  lowercase: (s) => s.toLowerCase(),
  uppercase: (s) => s.toUpperCase(),
  inQuotes: (s) => `"${s}"`,
  comma: (s) => (/[,.!?;:]$/.test(s) ? s : `${s},`),
  a: (s) => (/^[aeiou]/i.test(s) && !/^(uni|use|eu|one)/i.test(s) ? `an ${s}` : `a ${s}`),
  s: (s) => {
    if (/[^aeiou]y$/i.test(s)) return `${s.slice(0, -1)}ies`;
    if (/(s|x|z|ch|sh)$/i.test(s)) return `${s}es`;
    return `${s}s`;
  },
  ed: (s) => {
    const [word = '', ...rest] = s.split(' ');
    const tail = rest.length > 0 ? ` ${rest.join(' ')}` : '';
    if (/e$/i.test(word)) return `${word}d${tail}`;
    if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ied${tail}`;
    return `${word}ed${tail}`;
  },
};

export class GrammarExpander {
  private readonly rules: GrammarRules;
  private readonly random: () => number;
  private readonly maxDepth: number;
  private readonly modifiers: Readonly<Record<string, GrammarModifier>>;
  /** Rules pushed by actions, innermost last. */
  private readonly stacks = new Map<string, string[][]>();
  /** Symbols referenced but not defined, and whether the depth limit was hit (diagnostics). */
  readonly missing = new Set<string>();
  depthExceeded = false;

  constructor(rules: GrammarRules, options: GrammarExpanderOptions) {
    this.rules = rules;
    this.random = options.random;
    this.maxDepth = options.maxDepth ?? 24;
    this.modifiers = { ...ENGLISH_MODIFIERS, ...options.modifiers };
  }

  /** True when `symbol` has rules (pushed or in the grammar). */
  has(symbol: string): boolean {
    return (this.stacks.get(symbol)?.length ?? 0) > 0 || (this.rules[symbol]?.length ?? 0) > 0;
  }

  /**
   * Expands `#symbol#` (default `origin`).
   * @example new GrammarExpander({ origin: ['#a.capitalize#'], a: ['hi'] }, { random }).flatten() // 'Hi'
   */
  flatten(symbol = 'origin'): string {
    return this.expand(`#${symbol}#`);
  }

  /** Expands every tag and action in `text`. */
  expand(text: string, depth = 0): string {
    if (depth > this.maxDepth) {
      this.depthExceeded = true;
      return '';
    }
    let out = '';
    let i = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === '\\' && i + 1 < text.length) {
        out += text[i + 1];
        i += 2;
      } else if (c === '[') {
        const end = matchBracket(text, i);
        if (end < 0) return out + text.slice(i);
        this.runAction(text.slice(i + 1, end), depth);
        i = end + 1;
      } else if (c === '#') {
        const end = findTagEnd(text, i + 1);
        if (end < 0) return out + text.slice(i);
        out += this.expandTag(text.slice(i + 1, end), depth);
        i = end + 1;
      } else {
        out += c;
        i++;
      }
    }
    return out;
  }

  private expandTag(content: string, depth: number): string {
    const scoped: string[] = [];
    let rest = content;
    while (rest.startsWith('[')) {
      const end = matchBracket(rest, 0);
      if (end < 0) break;
      const pushed = this.runAction(rest.slice(1, end), depth);
      if (pushed !== undefined) scoped.push(pushed);
      rest = rest.slice(end + 1);
    }
    let result = '';
    if (rest.length > 0) {
      const [symbol = '', ...mods] = rest.split('.');
      result = this.expand(this.selectRule(symbol), depth + 1);
      for (const mod of mods) result = this.modifiers[mod]?.(result) ?? result;
    }
    // Tracery pops a tag's pre-actions once the tag is expanded.
    for (const name of scoped) this.stacks.get(name)?.pop();
    return result;
  }

  /** Runs `name:rules` (push; rules comma separated, each expanded now) or `name:POP`. */
  private runAction(action: string, depth: number): string | undefined {
    const colon = action.indexOf(':');
    if (colon <= 0) {
      this.expand(action, depth + 1); // bare `[#rule#]`: expand for its side effects
      return undefined;
    }
    const name = action.slice(0, colon);
    const value = action.slice(colon + 1);
    const stack = this.stacks.get(name) ?? [];
    this.stacks.set(name, stack);
    if (value === 'POP') {
      stack.pop();
      return undefined;
    }
    stack.push(splitTopLevel(value).map((rule) => this.expand(rule, depth + 1)));
    return name;
  }

  private selectRule(symbol: string): string {
    const stack = this.stacks.get(symbol);
    const options = (stack && stack[stack.length - 1]) ?? this.rules[symbol];
    if (!options || options.length === 0) {
      this.missing.add(symbol);
      return `((${symbol}))`;
    }
    const index = Math.min(options.length - 1, Math.floor(this.random() * options.length));
    return options[index] ?? '';
  }
}

function matchBracket(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  return -1;
}

function findTagEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '#' && depth <= 0) return i;
  }
  return -1;
}

/** Splits on commas outside `#…#` and `[…]`. */
function splitTopLevel(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inTag = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') i++;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '#' && depth === 0) inTag = !inTag;
    else if (c === ',' && depth === 0 && !inTag) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts;
}

/**
 * Symbols a rule reads (`#name…#`) and defines (`[name:…]`), for static checks of a grammar.
 * @example grammarReferences('[hero:#name#]#hero.capitalize#') // { uses: ['name', 'hero'], defines: ['hero'] }
 */
export function grammarReferences(rule: string): { uses: string[]; defines: string[] } {
  const uses: string[] = [];
  const defines: string[] = [];
  const scanAction = (action: string): void => {
    const colon = action.indexOf(':');
    if (colon > 0) {
      defines.push(action.slice(0, colon));
      const value = action.slice(colon + 1);
      if (value !== 'POP') scan(value);
    } else scan(action);
  };
  const scan = (text: string): void => {
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\\') i++;
      else if (c === '[') {
        const end = matchBracket(text, i);
        if (end < 0) return;
        scanAction(text.slice(i + 1, end));
        i = end;
      } else if (c === '#') {
        const end = findTagEnd(text, i + 1);
        if (end < 0) return;
        let tag = text.slice(i + 1, end);
        while (tag.startsWith('[')) {
          const close = matchBracket(tag, 0);
          if (close < 0) break;
          scanAction(tag.slice(1, close));
          tag = tag.slice(close + 1);
        }
        const symbol = tag.split('.')[0] ?? '';
        if (symbol.length > 0) uses.push(symbol);
        i = end;
      }
    }
  };
  scan(rule);
  return { uses, defines };
}
