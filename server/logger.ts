/**
 * Structured JSON logs (pino). Every session/show logger is a child carrying its id, so one grep
 * follows a show through every stage.
 */
import { pino, type Logger } from 'pino';

export function createLogger(level: string, name = 'frisson'): Logger {
  return pino({ name, level });
}
