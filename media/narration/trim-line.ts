/**
 * Output length limit for generated lines: one paragraph, whitespace collapsed, cut at the last
 * sentence end that fits (Latin `. ! ? …` and CJK `。！？…`), else at a word boundary with an
 * ellipsis, else (CJK, no spaces) at the limit with an ellipsis. Counts Unicode code points.
 */

const SENTENCE_END = /[.!?\u2026\u3002\uff01\uff1f][\u201d\u2019"')\u300d\u300f]*/gu;

/**
 * @example trimLine('Run. Now. Before it wakes up.', 10) // 'Run. Now.'
 */
export function trimLine(text: string, maxChars: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(clean);
  if (chars.length <= maxChars) return clean;
  const head = chars.slice(0, maxChars).join('');
  let cut = -1;
  for (const match of head.matchAll(SENTENCE_END)) cut = match.index + match[0].length;
  if (cut > 0) return head.slice(0, cut).trim();
  const space = head.lastIndexOf(' ', head.length - 1);
  const body =
    space > maxChars / 3
      ? head.slice(0, space)
      : Array.from(head)
          .slice(0, Math.max(0, maxChars - 1))
          .join('');
  return `${body.replace(/[\s,;:\u3001\uff0c\uff1b\uff1a-]+$/u, '')}\u2026`;
}
