/**
 * Decoder for the Bluetooth LE Heart Rate Measurement characteristic (UUID 0x2A37) of the Heart
 * Rate Service (0x180D), as notified by chest straps and watches about once a second
 * (Heart Rate Service v1.0 §3.1.1; field layout in the GATT Specification Supplement).
 *
 * Layout: byte 0 = flags, then
 * - bit 0 (Heart Rate Value Format): 0 → uint8 bpm, 1 → uint16 little-endian bpm;
 * - bits 1–2 (Sensor Contact): 0b11 contact detected, 0b10 supported but not detected,
 *   0b0x feature not supported;
 * - bit 3 (Energy Expended present): uint16 LE, kilojoules, cumulative since last reset;
 * - bit 4 (RR-Interval present): zero or more uint16 LE values in units of 1/1024 s, oldest
 *   first, filling the rest of the frame, no timestamps;
 * - bits 5–7: reserved for future use (ignored, reported in `flags`).
 *
 * A common bug is to read byte 1 as the heart rate and ignore the flags: with the uint16 format or
 * with extra fields that is wrong. This decoder honours every flag and never throws.
 *
 * A contract (a wire format, pure): the browser player decodes a Web Bluetooth strap with it and
 * the sensors stage and CLI decode recorded frames with it.
 */
import type { HeartSample } from './heart.js';
import { fail, ok, type ParseResult } from './parse-result.js';

export type SensorContact = 'detected' | 'not-detected' | 'unsupported';

export interface HeartRateMeasurement {
  /** The raw flags byte. */
  flags: number;
  /** Heart rate in bpm, as sent. */
  heartRate: number;
  format: 'uint8' | 'uint16';
  contact: SensorContact;
  /** Cumulative energy expended, kJ, when present. */
  energyExpended?: number;
  /** RR intervals in raw units of 1/1024 s. */
  rrRaw: number[];
  /** RR intervals converted to milliseconds (raw × 1000 / 1024). */
  rrIntervals: number[];
}

export type HeartRateMeasurementErrorCode =
  'invalid-input' | 'empty' | 'too-long' | 'truncated' | 'rr-odd-length';

const MAX_ATTRIBUTE_BYTES = 512;
const FLAG_UINT16 = 0x01;
const FLAG_CONTACT_STATUS = 0x02;
const FLAG_CONTACT_SUPPORTED = 0x04;
const FLAG_ENERGY = 0x08;
const FLAG_RR = 0x10;

function toBytes(input: unknown): Uint8Array | null {
  if (input instanceof Uint8Array) return input;
  if (input instanceof DataView)
    return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  return null;
}

/**
 * Decodes one Heart Rate Measurement notification.
 *
 * @example
 * parseHeartRateMeasurement(Uint8Array.of(0x16, 0x48, 0x00, 0x04));
 * // { success: true, data: { heartRate: 72, contact: 'detected', rrIntervals: [1000], … } }
 */
export function parseHeartRateMeasurement(
  bytes: Uint8Array | DataView | ArrayBuffer,
): ParseResult<HeartRateMeasurement, HeartRateMeasurementErrorCode> {
  const b = toBytes(bytes);
  if (b === null) return fail('invalid-input', 'expected a Uint8Array, DataView or ArrayBuffer');
  if (b.length === 0) return fail('empty', 'empty frame: the flags byte is missing', 0);
  // An attribute value is at most 512 bytes (Bluetooth Core Spec Vol 3 Part F §3.2.9).
  if (b.length > MAX_ATTRIBUTE_BYTES) {
    return fail('too-long', `frame of ${b.length} bytes exceeds the 512-byte attribute limit`, 512);
  }
  const flags = b[0] ?? 0;
  let pos = 1;
  const need = (n: number, what: string): ParseResult<never, 'truncated'> | null =>
    pos + n <= b.length
      ? null
      : fail(
          'truncated',
          `frame has ${b.length} byte(s); ${what} needs bytes ${pos}–${pos + n - 1}`,
          pos,
        );

  const format = flags & FLAG_UINT16 ? 'uint16' : 'uint8';
  const hrErr = need(format === 'uint16' ? 2 : 1, `the ${format} heart rate`);
  if (hrErr) return hrErr;
  let heartRate: number;
  if (format === 'uint16') {
    heartRate = (b[pos] ?? 0) | ((b[pos + 1] ?? 0) << 8);
    pos += 2;
  } else {
    heartRate = b[pos] ?? 0;
    pos += 1;
  }

  const contact: SensorContact =
    flags & FLAG_CONTACT_SUPPORTED
      ? flags & FLAG_CONTACT_STATUS
        ? 'detected'
        : 'not-detected'
      : 'unsupported';

  const out: HeartRateMeasurement = {
    flags,
    heartRate,
    format,
    contact,
    rrRaw: [],
    rrIntervals: [],
  };

  if (flags & FLAG_ENERGY) {
    const e = need(2, 'the energy expended field');
    if (e) return e;
    out.energyExpended = (b[pos] ?? 0) | ((b[pos + 1] ?? 0) << 8);
    pos += 2;
  }

  if (flags & FLAG_RR) {
    const rest = b.length - pos;
    // Zero intervals are allowed: a notification may fall between two beats.
    if (rest % 2 !== 0) {
      return fail('rr-odd-length', `RR-interval field has ${rest} bytes, not a multiple of 2`, pos);
    }
    for (; pos < b.length; pos += 2) {
      const raw = (b[pos] ?? 0) | ((b[pos + 1] ?? 0) << 8);
      out.rrRaw.push(raw);
      // 1/1024 s resolution (HRS §3.1.1.5): ms = raw × 1000 / 1024
      out.rrIntervals.push((raw * 1000) / 1024);
    }
  }
  // Bytes left over without the RR flag are tolerated (some firmware pads frames) but not decoded.
  return ok(out);
}

/**
 * Converts a decoded measurement to the stage-neutral HeartSample.
 * A heart rate of 0 (sent by some straps without contact) is omitted.
 *
 * @example
 * const r = parseHeartRateMeasurement(frame);
 * if (r.success) signal.push(heartRateMeasurementToSample(r.data, Date.now()));
 */
export function heartRateMeasurementToSample(m: HeartRateMeasurement, t: number): HeartSample {
  const s: HeartSample = { t };
  if (m.heartRate > 0) s.bpm = m.heartRate;
  if (m.rrIntervals.length > 0) s.rr = m.rrIntervals.slice();
  if (m.contact !== 'unsupported') s.contact = m.contact === 'detected';
  return s;
}
