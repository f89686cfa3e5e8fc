/**
 * A small strict WebVTT parser for tests (W3C WebVTT §4 file structure): signature line, optional
 * header lines (X-TIMESTAMP-MAP), blank-line separated cue blocks `[id]\nstart --> end\ntext…`.
 * Throws on anything malformed so the tests fail loudly.
 */
export interface ParsedVtt {
  timestampMap?: { mpegts: number; local: number };
  cues: Array<{ id?: string; start: number; end: number; text: string }>;
}

const TIME = /^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$/;

export function parseTimestamp(s: string): number {
  const m = TIME.exec(s);
  if (!m) throw new Error(`bad timestamp ${JSON.stringify(s)}`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
}

export function parseWebVtt(text: string): ParsedVtt {
  if (!text.endsWith('\n')) throw new Error('file must end with a line terminator');
  const blocks = text.replace(/\n+$/, '').split(/\n\n+/);
  const header = (blocks.shift() ?? '').split('\n');
  if (header[0] !== 'WEBVTT') throw new Error('missing WEBVTT signature');
  const out: ParsedVtt = { cues: [] };
  for (const line of header.slice(1)) {
    const m = /^X-TIMESTAMP-MAP=MPEGTS:(\d+),LOCAL:(\S+)$/.exec(line);
    if (!m) throw new Error(`unexpected header line ${JSON.stringify(line)}`);
    out.timestampMap = { mpegts: Number(m[1]), local: parseTimestamp(m[2] ?? '') };
  }
  for (const block of blocks) {
    const lines = block.split('\n');
    let id: string | undefined;
    if (!lines[0]?.includes('-->')) id = lines.shift();
    const timing = /^(\S+) --> (\S+)$/.exec(lines.shift() ?? '');
    if (!timing) throw new Error(`bad cue timing in ${JSON.stringify(block)}`);
    const start = parseTimestamp(timing[1] ?? '');
    const end = parseTimestamp(timing[2] ?? '');
    if (!(end > start)) throw new Error(`cue ends before it starts: ${block}`);
    if (lines.length === 0) throw new Error('cue without text');
    const body = lines.join('\n');
    if (body.includes('-->') || /<|&(?!amp;|lt;|gt;)/.test(body))
      throw new Error(`unescaped cue text ${body}`);
    const decoded = body.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    out.cues.push(
      id === undefined ? { start, end, text: decoded } : { id, start, end, text: decoded },
    );
  }
  return out;
}
