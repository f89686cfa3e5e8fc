/**
 * Wire protocol between a venue sensor agent and the hub: socket.io namespace `/seats`, handshake
 * `auth: { token }`.
 *
 * - `hello` `{ agentId }` → ack `{ ok: true, cursor }`: the last batch seq the hub accepted from
 *   this agent (0 if none), so a restarted agent continues numbering after it.
 * - `batch` `{ agentId, seq, samples: [{ seat, t, bpm?, rr?, contact?, eda? }], stats? }` → ack
 *   `{ ok: true, ackedThrough }` or `{ ok: false, error: { code, message } }`. A batch with
 *   seq ≤ the agent's cursor is a duplicate: acknowledged, not processed again.
 */
import { z } from 'zod';

export const SEAT_NAMESPACE = '/seats';
export const MAX_BATCH_SAMPLES = 5000;

const finite = z.number().finite();

export const SeatSampleSchema = z
  .object({
    seat: z.string().min(1).max(64),
    t: finite.nonnegative(),
    bpm: finite.optional(),
    rr: z.array(finite).max(32).optional(),
    contact: z.boolean().optional(),
    eda: finite.optional(),
  })
  .strict();

export const HelloSchema = z.object({ agentId: z.string().min(1).max(128) }).strict();

export const BatchSchema = z
  .object({
    agentId: z.string().min(1).max(128),
    seq: z.number().int().positive(),
    samples: z.array(SeatSampleSchema).max(MAX_BATCH_SAMPLES),
    stats: z
      .object({ buffered: z.number().int().nonnegative(), dropped: z.number().int().nonnegative() })
      .strict()
      .optional(),
  })
  .strict();

export type BatchPayload = z.infer<typeof BatchSchema>;

export type HelloAck =
  { ok: true; cursor: number } | { ok: false; error: { code: string; message: string } };

export type BatchAck =
  | { ok: true; ackedThrough: number; duplicate?: boolean; rejectedSamples?: number }
  | { ok: false; error: { code: string; message: string } };
