/**
 * Decodes heart-rate input reports of HID Sensor devices (HID Usage Tables 1.4, Sensor page 0x20).
 *
 * It looks for sensor collections with usage Heart Rate (0x20:0x16) or Heart Rate Variability
 * (0x20:0x17) and, inside them, Input fields with the data usages Heart Rate (0x20:0x04B8, bpm) and
 * Heartbeat Interval (0x20:0x04BA). One descriptor may hold several such sensors (e.g. a seat
 * controller serving two seats on report ids 1 and 2): each (collection, report id) pair is one
 * "sensor" and decoded readings name it by index.
 *
 * Scaling: value × 10^UnitExponent (HID 1.11 §6.2.2.7). Heartbeat intervals whose Unit is time in
 * seconds (Unit 0x1001, SI linear) are converted to ms; without a unit they are taken as ms.
 * The Linux kernel has no driver for these usages, so this runs in user space on hidraw reports.
 */
import type { HeartSample } from '../signal/signal-types.js';
import { fail, ok, type ParseResult } from '../parse-result.js';
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

export interface HidHeartRateSensor {
  index: number;
  collection: number;
  reportId: number;
  heartRate: HidField | null;
  intervals: HidField[];
}

export interface HidHeartRateReading {
  sensor: number;
  reportId: number;
  sample: HeartSample;
}

export type HidDecodeErrorCode =
  'no-heart-rate' | 'empty-report' | 'unknown-report' | 'truncated-report';

export interface HeartRateReportDecoder {
  readonly sensors: readonly HidHeartRateSensor[];
  readonly usesReportIds: boolean;
  /** Decodes one input report (as node-hid delivers it: id byte first when ids are used). */
  decode(report: Uint8Array, t: number): ParseResult<HidHeartRateReading[], HidDecodeErrorCode>;
}

/** Unit 0x1001: system SI linear (nibble 0 = 1), time exponent 1 (nibble 3), nothing else. */
const isSeconds = (unit: number): boolean => (unit & 0xf) !== 0 && (unit & ~0xf) === 0x1000;

function scaled(v: number, f: HidField): number {
  return f.unitExponent === 0 ? v : v * 10 ** f.unitExponent;
}

function intervalMs(v: number, f: HidField): number {
  const x = scaled(v, f);
  return isSeconds(f.unit) ? x * 1000 : x;
}

/** Rounds away float noise from 10^exponent scaling (e.g. 0.1 × 8480). */
const tidy = (x: number): number => Math.round(x * 1e6) / 1e6;

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
          intervals: [],
        };
        byReport.set(f.reportId, s);
      }
      if (hr && s.heartRate === null) s.heartRate = f;
      if (ibi) s.intervals.push(f);
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
        if (s.heartRate) {
          const v = readReportField(data, s.heartRate);
          if (v !== null && v > 0) sample.bpm = tidy(scaled(v, s.heartRate));
        }
        const rr: number[] = [];
        for (const f of s.intervals) {
          for (let i = 0; i < f.count; i++) {
            const v = readReportField(data, f, i);
            // 0 means "no new beat" in this report.
            if (v !== null && v > 0) rr.push(tidy(intervalMs(v, f)));
          }
        }
        if (rr.length > 0) sample.rr = rr;
        // Nothing valid (null values, zero rate): the seat has no reading, i.e. no contact.
        if (sample.bpm === undefined && rr.length === 0) {
          sample.contact = false;
          sample.rr = [];
        }
        readings.push({ sensor: s.index, reportId: id, sample });
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
