/**
 * Reading story.yaml / story.json while keeping source positions, so every problem can name the
 * line it comes from.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import type { StoryPath } from './story-problem.js';

/** Story file names, in lookup order. */
export const STORY_FILES = ['story.yaml', 'story.yml', 'story.json'] as const;

/** A parsed story file: the plain data plus a way back from a path to a line. */
export class StorySource {
  private constructor(
    readonly file: string,
    readonly data: unknown,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** Parses YAML (JSON is a subset). Syntax errors are in `errors` with their lines. */
  static parse(
    file: string,
    text: string,
  ): { source: StorySource; errors: { line: number; message: string }[] } {
    const lines = new LineCounter();
    const doc = parseDocument(text, {
      lineCounter: lines,
      keepSourceTokens: true,
      prettyErrors: false,
    });
    const errors = doc.errors.map((e) => ({
      line: lines.linePos(e.pos[0]).line,
      message: e.message.split('\n')[0] ?? e.message,
    }));
    const data: unknown = errors.length ? undefined : doc.toJS({ maxAliasCount: 1000 });
    return { source: new StorySource(file, data, doc, lines), errors };
  }

  /**
   * The 1-based line of the value at `path`. Map entries resolve to the line of their key; a path
   * that does not exist (a missing field) resolves to its nearest existing ancestor.
   */
  lineOf(path: StoryPath): number {
    let node: unknown = this.doc.contents;
    let offset = rangeStart(node) ?? 0;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === seg);
        if (!pair) break;
        offset = rangeStart(pair.key) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (item === undefined) break;
        offset = rangeStart(item) ?? offset;
        node = item;
      } else {
        break;
      }
    }
    return this.lines.linePos(offset).line;
  }
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}
