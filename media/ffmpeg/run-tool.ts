/**
 * Spawning ffmpeg / ffprobe with captured output, abort support and a readable error.
 */
import { spawn } from 'node:child_process';

export interface RunToolOptions {
  /** Called for every complete stdout line (ffmpeg `-progress pipe:1` writes key=value lines). */
  onStdoutLine?: (line: string) => void;
  /** Kills the child (SIGKILL) and rejects with an AbortError. */
  signal?: AbortSignal;
}

export interface RunToolResult {
  stdout: Buffer;
  stderr: string;
}

/** A tool exited non-zero or died from a signal. */
export class ToolFailedError extends Error {
  readonly code = 'FRISSON_ERR_TOOL_FAILED';
  constructor(
    readonly tool: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    const tail = stderr.trim().split('\n').slice(-6).join('\n');
    super(`${tool} exited with ${exitCode ?? 'a signal'}${tail ? `:\n${tail}` : ''}`);
    this.name = 'ToolFailedError';
  }
}

/**
 * The static ffprobe build shipped by @ffprobe-installer crashes (SIGSEGV) when the MPEG-TS demuxer
 * calls iconv: glibc's static iconv dlopen()s the system's gconv modules, which are incompatible.
 * Pointing GCONV_PATH at a missing directory makes iconv_open fail cleanly instead.
 */
function toolEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GCONV_PATH: '/nonexistent-frisson-gconv' };
}

/**
 * Runs `path args…` to completion.
 * @example
 * const { stdout } = await runTool(tools.ffprobe, ['-v', 'error', '-show_format', file]);
 */
export function runTool(
  path: string,
  args: readonly string[],
  options: RunToolOptions = {},
): Promise<RunToolResult> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(options.signal.reason instanceof Error ? options.signal.reason : new Error('aborted'));
      return;
    }
    const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'], env: toolEnv() });
    const out: Buffer[] = [];
    let err = '';
    let pending = '';
    const onAbort = (): void => {
      child.kill('SIGKILL');
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk);
      if (options.onStdoutLine) {
        pending += chunk.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) options.onStdoutLine(line);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      // Keep the tail only: a long encode can print a lot.
      err = (err + chunk.toString('utf8')).slice(-20000);
    });
    child.on('error', (error) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('close', (code) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (options.signal?.aborted) {
        reject(
          options.signal.reason instanceof Error ? options.signal.reason : new Error('aborted'),
        );
      } else if (code === 0) {
        resolve({ stdout: Buffer.concat(out), stderr: err });
      } else {
        reject(new ToolFailedError(path.split('/').pop() ?? path, code, err));
      }
    });
  });
}
