/**
 * Mapping file for vendor-defined seat sensors. Many venue seat sensors are microcontrollers that
 * enumerate as raw vendor-defined HID (no Sensor-page descriptor), so each value's position in the
 * report is declared by hand.
 *
 * ```yaml
 * version: 1
 * seats:
 *   - seat: A1
 *     device: { vendorId: 0x1209, productId: 0xc0de }   # or { serial: "SEATCTL-0042" }
 *     reportId: 3          # optional: the report's first byte must equal it
 *     channel: hr          # hr (bpm) | rr (ms, 0 = no new beat) | eda (µS)
 *     offset: 1            # byte offset in the report as node-hid delivers it (id byte included)
 *     width: 1             # 1, 2 or 4 bytes
 *     endianness: little   # little | big
 *     signed: false
 *     scale: 1             # raw × scale = bpm / ms / µS
 * ```
 * Validated with zod; errors name the path of the offending entry.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { HeartSample } from '../../contracts/heart.js';
import { fail, ok, type ParseResult } from '../../contracts/parse-result.js';

const u16 = z.number().int().min(0).max(0xffff);

export const SeatDeviceMatchSchema = z
  .object({
    vendorId: u16.optional(),
    productId: u16.optional(),
    serial: z.string().min(1).max(128).optional(),
  })
  .strict()
  .refine(
    (d) => d.serial !== undefined || (d.vendorId !== undefined && d.productId !== undefined),
    {
      message: 'device needs vendorId and productId, or serial',
    },
  );

export const SeatChannelSchema = z
  .object({
    seat: z.string().min(1).max(64),
    device: SeatDeviceMatchSchema,
    reportId: z.number().int().min(0).max(255).optional(),
    channel: z.enum(['hr', 'rr', 'eda']),
    offset: z.number().int().min(0).max(16_383),
    width: z.union([z.literal(1), z.literal(2), z.literal(4)]),
    endianness: z.enum(['little', 'big']).default('little'),
    signed: z.boolean().default(false),
    scale: z.number().finite().positive().default(1),
  })
  .strict();

export const SeatMapSchema = z
  .object({
    version: z.literal(1),
    seats: z.array(SeatChannelSchema).min(1).max(10_000),
  })
  .strict()
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    m.seats.forEach((s, i) => {
      const key = JSON.stringify([s.device, s.reportId ?? null, s.seat, s.channel]);
      if (seen.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['seats', i],
          message: `duplicate ${s.channel} channel for seat ${s.seat} on the same device/report`,
        });
      }
      seen.add(key);
    });
  });

export type SeatChannel = z.infer<typeof SeatChannelSchema>;
export type SeatMap = z.infer<typeof SeatMapSchema>;

/** What node-hid's `devices()` says about a device. */
export interface HidDeviceIdentity {
  vendorId: number;
  productId: number;
  serialNumber?: string | undefined;
}

/** A decoded heart reading of one seat (the agent turns it into a wire `SeatSample`). */
export interface HidSeatReading {
  seat: string;
  sample: HeartSample;
}

/**
 * Parses and validates a seat-map YAML text.
 *
 * @example
 * const r = parseSeatMap(readFileSync('seats.yaml', 'utf8'));
 * if (!r.success) console.error(r.error.message);
 */
export function parseSeatMap(
  text: string,
): ParseResult<SeatMap, 'invalid-yaml' | 'invalid-seat-map'> {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    return fail('invalid-yaml', e instanceof Error ? e.message : String(e));
  }
  const r = SeatMapSchema.safeParse(doc);
  if (!r.success) {
    const msg = r.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    return fail('invalid-seat-map', msg);
  }
  return ok(r.data);
}

/** The channels of `map` that apply to one device. */
export function seatChannelsFor(map: SeatMap, dev: HidDeviceIdentity): SeatChannel[] {
  return map.seats.filter((s) => {
    const d = s.device;
    if (d.serial !== undefined && d.serial !== dev.serialNumber) return false;
    if (d.vendorId !== undefined && d.vendorId !== dev.vendorId) return false;
    if (d.productId !== undefined && d.productId !== dev.productId) return false;
    return true;
  });
}

function readInt(b: Uint8Array, c: SeatChannel): number | null {
  if (c.offset + c.width > b.length) return null;
  let v = 0;
  for (let i = 0; i < c.width; i++) {
    const byte = b[c.offset + (c.endianness === 'little' ? i : c.width - 1 - i)] ?? 0;
    v += byte * 2 ** (8 * i);
  }
  if (c.signed && v >= 2 ** (8 * c.width - 1)) v -= 2 ** (8 * c.width);
  return v;
}

/**
 * Decodes one raw report with the device's channels; channels of the same seat merge into one
 * sample. Channels whose report id does not match, or that lie past the report's end, are skipped.
 *
 * @example
 * decodeSeatReport(seatChannelsFor(map, dev), report, Date.now()); // [{ seat: 'A1', sample }]
 */
export function decodeSeatReport(
  channels: readonly SeatChannel[],
  report: Uint8Array,
  t: number,
): HidSeatReading[] {
  const bySeat = new Map<string, HeartSample>();
  for (const c of channels) {
    if (c.reportId !== undefined && report[0] !== c.reportId) continue;
    const raw = readInt(report, c);
    if (raw === null) continue;
    const v = Math.round(raw * c.scale * 1e6) / 1e6;
    let s = bySeat.get(c.seat);
    if (!s) {
      s = { t };
      bySeat.set(c.seat, s);
    }
    if (c.channel === 'hr') {
      if (v > 0) s.bpm = v;
    } else if (c.channel === 'rr') {
      if (v > 0) (s.rr ??= []).push(v);
    } else {
      s.eda = v;
    }
  }
  const out: HidSeatReading[] = [];
  for (const [seat, sample] of bySeat) {
    // A seat whose heart channels read 0 has no finger/skin contact.
    if (sample.bpm === undefined && sample.rr === undefined) {
      sample.contact = false;
      sample.rr = [];
    }
    out.push({ seat, sample });
  }
  return out;
}
