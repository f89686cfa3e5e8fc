/**
 * A font with Chinese glyphs for zh-CN title cards: `FRISSON_CJK_FONT`, else Noto CJK as Debian's
 * `fonts-noto-cjk` installs it (serif first: the film's captions are DejaVu Serif), else WenQuanYi.
 * DejaVu has no CJK glyphs: without one of these, Chinese captions would render as empty boxes.
 */
import { existsSync } from 'node:fs';

/** Where Debian/Ubuntu packages put CJK fonts (fonts-noto-cjk, fonts-wqy-zenhei). */
export const CJK_FONT_CANDIDATES = [
  '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
] as const;

/**
 * The CJK font file to draw Chinese with, or null when there is none.
 * @example findCjkFont() // '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc'
 */
export function findCjkFont(
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
): string | null {
  const set = env.FRISSON_CJK_FONT;
  if (set) return exists(set) ? set : null;
  return CJK_FONT_CANDIDATES.find((p) => exists(p)) ?? null;
}

/** The one-line start-up warning when no CJK font is found (null when there is one). */
export function cjkFontWarning(env: NodeJS.ProcessEnv = process.env): string | null {
  if (findCjkFont(env)) return null;
  return env.FRISSON_CJK_FONT
    ? `frisson: FRISSON_CJK_FONT=${env.FRISSON_CJK_FONT} does not exist: zh-CN title cards will show scene ids\n`
    : 'frisson: no CJK font found (Debian: apt-get install fonts-noto-cjk, or set FRISSON_CJK_FONT): zh-CN title cards will show scene ids\n';
}
