import type { z } from 'zod';
import { invalidPayloadError } from '../../contracts/errors.js';

/** Parses a request body with zod; failures become FRISSON_ERR_INVALID_PAYLOAD with details. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw invalidPayloadError(parsed.error.issues);
  return parsed.data;
}
