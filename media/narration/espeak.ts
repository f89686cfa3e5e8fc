/**
 * Optional server-side speech with espeak-ng (https://github.com/espeak-ng/espeak-ng): a narration
 * line becomes a WAV clip (`espeak-ng --stdout`, text on stdin so nothing is shell-interpreted).
 * When the binary is missing the result says so (`not-installed`); nothing throws.
 */
import { spawn } from 'node:child_process';

export type EspeakDetection =
  | { available: true; binary: string; version: string }
  | { available: false; binary: string; reason: string };

export type SpeechResult =
  | { ok: true; wav: Buffer; voice: string }
  | { ok: false; code: 'not-installed' | 'failed' | 'timeout'; message: string };

export interface EspeakOptions {
  /** Binary name or path; default `espeak-ng`. */
  binary?: string;
  /** Words per minute (espeak `-s`); default 150. */
  wordsPerMinute?: number;
  /** Pitch 0–99 (espeak `-p`); default 35, a low narrator. */
  pitch?: number;
  /** Kill the process after this long; default 10 s. */
  timeoutMs?: number;
}

/** espeak-ng voice for a locale: `zh-CN` → `cmn` (Mandarin), else the language subtag. */
export function espeakVoice(locale: string): string {
  const lower = locale.toLowerCase();
  if (lower.startsWith('zh')) return /-(hk|mo)\b|yue/.test(lower) ? 'yue' : 'cmn';
  return lower.split('-')[0] || 'en';
}

/** Detects espeak-ng (`--version`). */
export async function detectEspeak(
  options: Pick<EspeakOptions, 'binary'> = {},
): Promise<EspeakDetection> {
  const binary = options.binary ?? 'espeak-ng';
  const result = await run(binary, ['--version'], undefined, 5000);
  if (result.kind === 'ok')
    return { available: true, binary, version: result.stdout.toString('utf8').trim() };
  return {
    available: false,
    binary,
    reason: result.kind === 'not-installed' ? `${binary} is not installed` : result.message,
  };
}

/**
 * Speaks `text` in `locale` into a WAV (RIFF) buffer.
 * @example
 * const r = await synthesizeSpeech('Don’t turn around.', 'en');
 * if (r.ok) res.type('audio/wav').send(r.wav);
 */
export async function synthesizeSpeech(
  text: string,
  locale: string,
  options: EspeakOptions = {},
): Promise<SpeechResult> {
  const binary = options.binary ?? 'espeak-ng';
  const voice = espeakVoice(locale);
  const args = [
    '--stdout',
    '-v',
    voice,
    '-s',
    String(options.wordsPerMinute ?? 150),
    '-p',
    String(options.pitch ?? 35),
  ];
  const result = await run(binary, args, text, options.timeoutMs ?? 10_000);
  if (result.kind !== 'ok') {
    const message = result.kind === 'not-installed' ? `${binary} is not installed` : result.message;
    return { ok: false, code: result.kind, message };
  }
  const wav = result.stdout;
  if (wav.length < 44 || wav.toString('ascii', 0, 4) !== 'RIFF') {
    return { ok: false, code: 'failed', message: `${binary} produced no WAV data` };
  }
  return { ok: true, wav, voice };
}

type RunResult =
  | { kind: 'ok'; stdout: Buffer }
  | { kind: 'not-installed' | 'failed' | 'timeout'; message: string };

function run(
  binary: string,
  args: string[],
  stdin: string | undefined,
  timeoutMs: number,
): Promise<RunResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: RunResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done({ kind: 'timeout', message: `${binary} took longer than ${timeoutMs} ms` });
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => undefined); // EPIPE when the binary exits early
    child.on('error', (e: NodeJS.ErrnoException) =>
      done(
        e.code === 'ENOENT'
          ? { kind: 'not-installed', message: e.message }
          : { kind: 'failed', message: e.message },
      ),
    );
    child.on('close', (code) => {
      if (code === 0) done({ kind: 'ok', stdout: Buffer.concat(out) });
      else
        done({
          kind: 'failed',
          message: Buffer.concat(err).toString('utf8').trim() || `${binary} exited with ${code}`,
        });
    });
    child.stdin.end(stdin ?? '');
  });
}
