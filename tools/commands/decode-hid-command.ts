/**
 * `frisson sensors decode-hid --descriptor <hex> <report-hex…>`: parses a report descriptor, finds
 * its heart-rate sensors and decodes each input report. For field debugging of seat hardware: each
 * field shows the unit its values are read in first (and why), each decoded report any values left
 * out as implausible in every unit (`implausible`).
 */
import { createHeartRateReportDecoder } from '../../sensors/hid/heart-rate-report-decoder.js';
import {
  parseReportDescriptor,
  type HidReportDescriptor,
} from '../../sensors/hid/report-descriptor.js';
import { parseHex } from '../../sensors/hex.js';
import { json, type CommandOutput } from '../command-output.js';

const usageHex = (u: number | null | undefined): string | null =>
  u === null || u === undefined
    ? null
    : `0x${(u >>> 16).toString(16).padStart(4, '0')}:0x${(u & 0xffff).toString(16).padStart(4, '0')}`;

function summary(d: HidReportDescriptor): unknown {
  return {
    usesReportIds: d.usesReportIds,
    collections: d.collections.map((c) => ({
      index: c.index,
      parent: c.parent,
      type: c.type,
      usage: usageHex(c.usage),
    })),
    reports: d.reports,
    fields: d.fields.map((f) => ({
      reportType: f.reportType,
      reportId: f.reportId,
      bitOffset: f.bitOffset,
      bitSize: f.bitSize,
      count: f.count,
      constant: f.constant,
      usages: f.usages.slice(0, 16).map(usageHex),
      logical: [f.logicalMinimum, f.logicalMaximum],
      unitExponent: f.unitExponent,
      unit: f.unit,
      collection: f.collection,
    })),
  };
}

/** Returns the exit code: 0 when everything decoded, 1 otherwise (error JSON on stdout). */
export function decodeHidCommand(
  descriptorHex: string,
  reportHexes: string[],
  io: CommandOutput,
): number {
  const bytes = parseHex(descriptorHex);
  if (!bytes.success) {
    io.out(
      json({
        success: false,
        error: { ...bytes.error, message: `descriptor: ${bytes.error.message}` },
      }),
    );
    return 1;
  }
  const desc = parseReportDescriptor(bytes.data);
  if (!desc.success) {
    io.out(json(desc));
    return 1;
  }
  const dec = createHeartRateReportDecoder(desc.data);
  if (!dec.success) {
    io.out(json({ success: false, error: dec.error, descriptor: summary(desc.data) }));
    return 1;
  }
  let failed = false;
  const reports = reportHexes.map((h) => {
    const rb = parseHex(h);
    const r = rb.success ? dec.data.decode(rb.data, 0) : rb;
    if (!r.success) failed = true;
    return { input: h, ...r };
  });
  io.out(
    json({
      success: !failed,
      sensors: dec.data.sensors.map((s) => ({
        index: s.index,
        collection: s.collection,
        reportId: s.reportId,
        heartRate: s.heartRate
          ? {
              bitOffset: s.heartRate.bitOffset,
              bitSize: s.heartRate.bitSize,
              unitExponent: s.heartRate.unitExponent,
              unit: s.heartRateUnit,
            }
          : null,
        intervals: s.intervals.map((f, i) => ({
          bitOffset: f.bitOffset,
          bitSize: f.bitSize,
          count: f.count,
          unitExponent: f.unitExponent,
          unit: s.intervalUnits[i] ?? null,
        })),
      })),
      reports,
      descriptor: summary(desc.data),
    }),
  );
  return failed ? 1 : 0;
}
