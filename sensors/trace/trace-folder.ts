/**
 * A folder of recorded traces (`*.trace.jsonl`, e.g. ../shared/physio/traces), read and parsed in
 * file-name order. Each is named by its header's `subject`, else by its file name. A problem is one
 * line naming the folder or the file.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseTrace, type Trace } from './trace-format.js';

export interface TraceFile {
  name: string;
  path: string;
  trace: Trace;
}

/**
 * @param what how the error line names the folder's contents ("traces", "the real traces")
 * @param hint appended to a missing or empty folder's line (e.g. "; pass --real <folder>")
 */
export async function readTraceFolder(
  dir: string,
  what = 'traces',
  hint = '',
): Promise<{ success: true; data: TraceFile[] } | { success: false; error: string }> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.trace.jsonl')).sort();
  } catch (e) {
    const why = (e as { code?: string }).code === 'ENOENT' ? 'no such folder' : String(e);
    return { success: false, error: `cannot read ${what} in ${dir} (${why})${hint}` };
  }
  if (files.length === 0) return { success: false, error: `no *.trace.jsonl in ${dir}${hint}` };
  const out: TraceFile[] = [];
  for (const f of files) {
    const path = join(dir, f);
    const trace = parseTrace(await readFile(path, 'utf8'));
    if (!trace.success) return { success: false, error: `${path}: ${trace.error.message}` };
    const subject = (trace.data.header as Record<string, unknown>).subject;
    out.push({
      name: typeof subject === 'string' ? subject : basename(f, '.trace.jsonl'),
      path,
      trace: trace.data,
    });
  }
  return { success: true, data: out };
}
