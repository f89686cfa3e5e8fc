import type { z } from 'zod';
import { FrissonError } from '../errors.js';

/** Parses a request body with zod; failures become FRISSON_ERR_INVALID_PAYLOAD with details. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const details = parsed.error.issues
      .slice(0, 10)
      .map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new FrissonError('FRISSON_ERR_INVALID_PAYLOAD', undefined, details);
  }
  return parsed.data;
}
