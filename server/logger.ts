/**
 * Logs (pino). Every session/show logger is a child carrying its id, so one grep follows a show
 * through every stage. Machines get one JSON object per line; a human at a terminal gets readable
 * lines (pino-pretty, synchronous in this thread so nothing is lost at exit and tests see every
 * line in order). `auto` (the default) picks pretty when stdout is a terminal, JSON otherwise.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

/** `json`: one object per line; `pretty`: readable lines; `auto`: pretty at a terminal. */
export type LogFormat = 'auto' | 'json' | 'pretty';

export interface LoggerOptions {
  /** `auto` (default): pretty when `tty`, JSON otherwise. */
  format?: LogFormat;
  name?: string;
  /** Whether the destination is a terminal (default: `process.stdout.isTTY`). */
  tty?: boolean;
  /** Where lines go (default: stdout). */
  destination?: DestinationStream;
}

/** The format `auto` stands for on this output. */
export function resolveLogFormat(format: LogFormat, tty: boolean): 'json' | 'pretty' {
  if (format !== 'auto') return format;
  return tty ? 'pretty' : 'json';
}

/**
 * @example
 *   const log = createLogger('info'); // pretty at a terminal, JSON in a pipe
 *   log.child({ session: id }).info({ msn }, 'published');
 */
export function createLogger(level: string, opts: LoggerOptions = {}): Logger {
  const tty = opts.tty ?? process.stdout.isTTY === true;
  const options = { name: opts.name ?? 'frisson', level };
  if (resolveLogFormat(opts.format ?? 'auto', tty) === 'json') {
    return opts.destination ? pino(options, opts.destination) : pino(options);
  }
  const stream = pretty({
    sync: true,
    colorize: tty,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,name',
    destination: opts.destination ?? 1,
  });
  return pino(options, stream);
}
