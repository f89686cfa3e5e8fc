/**
 * Decodes heart-rate input reports of HID Sensor devices (HID Usage Tables 1.4, Sensor page 0x20).
 *
 * It looks for sensor collections with usage Heart Rate (0x20:0x16) or Heart Rate Variability
 * (0x20:0x17) and, inside them, Input fields with the data usages Heart Rate (0x20:0x04B8, bpm) and
 * Heartbeat Interval (0x20:0x04BA). One descriptor may hold several such sensors (e.g. a seat
 * controller serving two seats on report ids 1 and 2): each (collection, report id) pair is one
 * "sensor" and decoded readings name it by index.
 *
 * Scaling: value × 10^UnitExponent (HID 1.11 §6.2.2.7). The unit of the scaled value is decided
 * per field, then checked per value:
 * 1. The usage's default when the field has no Unit item (Unit 0): beats per minute for Heart Rate;
 *    milliseconds for Heartbeat Interval, as for the Sensor page's other intervals (Report
 *    Interval 0x030E is in ms, and Linux's hid-sensor-hub defaults a unitless attribute to ms).
 * 2. The Unit item when present (HID 1.11 §6.2.2.7 nibbles): time¹ (0x1001, seconds) for an
 *    interval, time⁻¹ (0xF001, Hz = beats per second) for a heart rate. Other units are not
 *    meaningful for these usages and are treated like no unit.
 * 3. Physiological plausibility: the result must be a possible RR interval or heart rate (the edge
 *    limits EDGE_RR_MS, EDGE_BPM of contracts/limits.ts). If it is not, the other unit (s ↔ ms, Hz ↔ bpm) is tried — but
 *    only when the field is fine enough to be a heart field in that unit (a step of at most
 *    10 ms per interval, 1 bpm per rate), so a glitch of 2 in a whole-ms field never becomes a
 *    2-second beat. The plausible ranges in the two units do not overlap, so at most one reading
 *    fits: a descriptor with Unit Exponent −3 and no Unit item means seconds, 800 → 0.8 → 800 ms.
 *    A value plausible in neither is left out of the sample and reported in the reading's
 *    `implausible` list — never passed on for the hub to drop together with the whole sample.
 * The Linux kernel has no driver for these usages, so this runs in user space on hidraw reports.
 */
// The hub's edge limits: a sample with a value outside them is dropped there, whole.
import { EDGE_BPM, EDGE_RR_MS } from '../../contracts/limits.js';
import type { HeartSample } from '../../contracts/heart.js';
import { fail, ok, type ParseResult } from '../../contracts/parse-result.js';
import {
  isWithinCollection,
  type HidField,
  type HidReportDescriptor,
} from './report-descriptor.js';
import { readReportField } from './read-report-field.js';

export const SENSOR_PAGE = 0x20;
export const USAGE_HEART_RATE_SENSOR = (SENSOR_PAGE << 16) | 0x16;
export const USAGE_HRV_SENSOR = (SENSOR_PAGE << 16) | 0x17;
export const USAGE_HEART_RATE = (SENSOR_PAGE << 16) | 0x04b8;
export const USAGE_HEARTBEAT_INTERVAL = (SENSOR_PAGE << 16) | 0x04ba;

/** How a field's scaled values become bpm or ms, and where that came from. */
export interface HidFieldUnit {
  /** Tried first. */
  unit: 'bpm' | 'Hz' | 'ms' | 's';
  /** `usage-default`: no Unit item; `unit-item`: declared; `unrecognised-unit`: declared but not meaningful here. */
  from: 'usage-default' | 'unit-item' | 'unrecognised-unit';
  /** Tried when `unit` gives an implausible value; null when the field is too coarse for it. */
  fallback: 'bpm' | 'Hz' | 'ms' | 's' | null;
}

export interface HidHeartRateSensor {
  index: number;
  collection: number;
  reportId: number;
  heartRate: HidField | null;
  heartRateUnit: HidFieldUnit | null;
  intervals: HidField[];
  intervalUnits: HidFieldUnit[];
}

/** A value read from a report that is a plausible heart rate / RR interval in no unit. */
export interface HidImplausibleValue {
  usage: 'heart-rate' | 'heartbeat-interval';
  /** Logical value in the report. */
  raw: number;
  /** raw × 10^UnitExponent. */
  scaled: number;
  message: string;
}

export interface HidHeartRateReading {
  sensor: number;
  reportId: number;
  sample: HeartSample;
  /** Values left out of `sample` because no unit makes them plausible (absent when none). */
  implausible?: HidImplausibleValue[];
}

export type HidDecodeErrorCode =
  'no-heart-rate' | 'empty-report' | 'unknown-report' | 'truncated-report';

export interface HeartRateReportDecoder {
  readonly sensors: readonly HidHeartRateSensor[];
  readonly usesReportIds: boolean;
  /** Decodes one input report (as node-hid delivers it: id byte first when ids are used). */
  decode(report: Uint8Array, t: number): ParseResult<HidHeartRateReading[], HidDecodeErrorCode>;
}

/**
 * The exponent of time in a HID Unit (HID 1.11 §6.2.2.7: nibble 0 system, 1 length, 2 mass,
 * 3 time, 4 temperature, 5 current, 6 luminous intensity, each a signed 4-bit exponent) when time
 * is its only dimension and the system is one of 1–4 (all measure time in seconds); else null.
 */
export function timeOnlyExponent(unit: number): number | null {
  const system = unit & 0xf;
  if (system < 1 || system > 4) return null;
  if ((unit >>> 4) & 0x0ffff0ff) return null; // any length, mass, temperature, current, … exponent
  const t = (unit >>> 12) & 0xf;
  if (t === 0) return null;
  return t >= 8 ? t - 16 : t;
}

/** ms per scaled unit, bpm per scaled unit. */
const TO_MS = { ms: 1, s: 1000 } as const;
const TO_BPM = { bpm: 1, Hz: 60 } as const;
/** Coarsest step (one logical count) a field may have to be read in its fallback unit. */
const MAX_FALLBACK_STEP_MS = 10;
const MAX_FALLBACK_STEP_BPM = 1;

function intervalUnit(f: HidField): HidFieldUnit {
  const [unit, from]: [HidFieldUnit['unit'], HidFieldUnit['from']] =
    f.unit === 0
      ? ['ms', 'usage-default']
      : timeOnlyExponent(f.unit) === 1
        ? ['s', 'unit-item']
        : ['ms', 'unrecognised-unit'];
  const other = unit === 's' ? 'ms' : 's';
  const step = 10 ** f.unitExponent * TO_MS[other];
  return { unit, from, fallback: step <= MAX_FALLBACK_STEP_MS ? other : null };
}

function heartRateUnit(f: HidField): HidFieldUnit {
  const [unit, from]: [HidFieldUnit['unit'], HidFieldUnit['from']] =
    f.unit === 0
      ? ['bpm', 'usage-default']
      : timeOnlyExponent(f.unit) === -1
        ? ['Hz', 'unit-item']
        : ['bpm', 'unrecognised-unit'];
  const other = unit === 'Hz' ? 'bpm' : 'Hz';
  const step = 10 ** f.unitExponent * TO_BPM[other];
  return { unit, from, fallback: step <= MAX_FALLBACK_STEP_BPM ? other : null };
}

/** Rounds away float noise from 10^exponent scaling (e.g. 0.1 × 8480). */
const tidy = (x: number): number => Math.round(x * 1e6) / 1e6;

function scaled(v: number, f: HidField): number {
  return f.unitExponent === 0 ? v : v * 10 ** f.unitExponent;
}

const within = (x: number, r: { min: number; max: number }): boolean => x >= r.min && x <= r.max;

/** Scaled value → ms (or bpm) in the field's unit, else its fallback; null when neither is plausible. */
function plausible(
  x: number,
  u: HidFieldUnit,
  factor: Record<string, number>,
  range: { min: number; max: number },
): number | null {
  for (const unit of u.fallback ? [u.unit, u.fallback] : [u.unit]) {
    const v = tidy(x * (factor[unit] ?? 1));
    if (within(v, range)) return v;
  }
  return null;
}

const fmt = (x: number): string => String(tidy(x));
const units = (u: HidFieldUnit): string => (u.fallback ? `${u.unit} or ${u.fallback}` : u.unit);

/**
 * Builds a decoder from a parsed descriptor; fails with `no-heart-rate` when the descriptor has no
 * heart-rate sensor collection with a heart-rate or heartbeat-interval input field.
 *
 * @example
 * const d = parseReportDescriptor(descriptorBytes);
 * const dec = d.success ? createHeartRateReportDecoder(d.data) : undefined;
 * const r = dec?.success ? dec.data.decode(report, Date.now()) : undefined;
 */
export function createHeartRateReportDecoder(
  desc: HidReportDescriptor,
): ParseResult<HeartRateReportDecoder, HidDecodeErrorCode> {
  const sensors: HidHeartRateSensor[] = [];
  for (const c of desc.collections) {
    if (c.usage !== USAGE_HEART_RATE_SENSOR && c.usage !== USAGE_HRV_SENSOR) continue;
    // A nested heart-rate collection inside another one belongs to the inner sensor only.
    const inputs = desc.fields.filter(
      (f) =>
        f.reportType === 'input' &&
        isWithinCollection(desc, f.collection, c.index) &&
        innermostSensor(desc, f.collection) === c.index,
    );
    const byReport = new Map<number, HidHeartRateSensor>();
    for (const f of inputs) {
      const hr = f.usages.includes(USAGE_HEART_RATE);
      const ibi = f.usages.includes(USAGE_HEARTBEAT_INTERVAL);
      if (!hr && !ibi) continue;
      let s = byReport.get(f.reportId);
      if (!s) {
        s = {
          index: -1,
          collection: c.index,
          reportId: f.reportId,
          heartRate: null,
          heartRateUnit: null,
          intervals: [],
          intervalUnits: [],
        };
        byReport.set(f.reportId, s);
      }
      if (hr && s.heartRate === null) {
        s.heartRate = f;
        s.heartRateUnit = heartRateUnit(f);
      }
      if (ibi) {
        s.intervals.push(f);
        s.intervalUnits.push(intervalUnit(f));
      }
    }
    for (const s of byReport.values()) {
      s.index = sensors.length;
      sensors.push(s);
    }
  }
  if (sensors.length === 0) {
    return fail(
      'no-heart-rate',
      'no Heart Rate (0x20:0x16/0x17) collection with Heart Rate 0x04B8 or Heartbeat Interval 0x04BA input fields',
    );
  }
  const inputBits = new Map<number, number>();
  for (const r of desc.reports) if (r.type === 'input') inputBits.set(r.id, r.bits);
  const usesReportIds = desc.usesReportIds;

  return ok({
    sensors,
    usesReportIds,
    decode(report: Uint8Array, t: number) {
      if (!(report instanceof Uint8Array) || report.length === 0) {
        return fail('empty-report', 'empty input report');
      }
      const id = usesReportIds ? (report[0] ?? 0) : 0;
      const data = usesReportIds ? report.subarray(1) : report;
      const mine = sensors.filter((s) => s.reportId === id);
      if (mine.length === 0) {
        return fail('unknown-report', `input report id ${id} carries no heart-rate field`, 0);
      }
      const needBytes = Math.ceil((inputBits.get(id) ?? 0) / 8);
      if (data.length < needBytes) {
        return fail(
          'truncated-report',
          `input report ${id} has ${data.length} data bytes, the descriptor declares ${needBytes}`,
          report.length,
        );
      }
      const readings: HidHeartRateReading[] = [];
      for (const s of mine) {
        const sample: HeartSample = { t };
        const implausible: HidImplausibleValue[] = [];
        if (s.heartRate && s.heartRateUnit) {
          const v = readReportField(data, s.heartRate);
          // 0 means "no reading".
          if (v !== null && v > 0) {
            const x = scaled(v, s.heartRate);
            const bpm = plausible(x, s.heartRateUnit, TO_BPM, EDGE_BPM);
            if (bpm !== null) sample.bpm = bpm;
            else {
              implausible.push({
                usage: 'heart-rate',
                raw: v,
                scaled: tidy(x),
                message: `Heart Rate ${v} (scaled ${fmt(x)}) is not a plausible heart rate in ${units(s.heartRateUnit)} (${EDGE_BPM.min}–${EDGE_BPM.max} bpm)`,
              });
            }
          }
        }
        const rr: number[] = [];
        s.intervals.forEach((f, j) => {
          const unit = s.intervalUnits[j] ?? intervalUnit(f);
          for (let i = 0; i < f.count; i++) {
            const v = readReportField(data, f, i);
            // 0 means "no new beat" in this report.
            if (v === null || v <= 0) continue;
            const x = scaled(v, f);
            const ms = plausible(x, unit, TO_MS, EDGE_RR_MS);
            if (ms !== null) rr.push(ms);
            else {
              implausible.push({
                usage: 'heartbeat-interval',
                raw: v,
                scaled: tidy(x),
                message: `Heartbeat Interval ${v} (scaled ${fmt(x)}) is not a plausible RR interval in ${units(unit)} (${EDGE_RR_MS.min}–${EDGE_RR_MS.max} ms)`,
              });
            }
          }
        });
        if (rr.length > 0) sample.rr = rr;
        // Nothing valid (null values, zero rate): the seat has no reading, i.e. no contact.
        if (sample.bpm === undefined && rr.length === 0) {
          sample.contact = false;
          sample.rr = [];
        }
        readings.push({
          sensor: s.index,
          reportId: id,
          sample,
          ...(implausible.length > 0 ? { implausible } : {}),
        });
      }
      return ok(readings);
    },
  });
}

function innermostSensor(desc: HidReportDescriptor, c: number): number {
  for (let i = c; i >= 0; i = desc.collections[i]?.parent ?? -1) {
    const u = desc.collections[i]?.usage;
    if (u === USAGE_HEART_RATE_SENSOR || u === USAGE_HRV_SENSOR) return i;
  }
  return -1;
}
