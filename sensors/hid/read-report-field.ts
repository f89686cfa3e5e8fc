/**
 * Extracts one element of a HID report field. HID packs fields little-endian and LSB-first across
 * byte boundaries (HID 1.11 §5.8, §8.4). A value is signed when the field's Logical Minimum is
 * negative; a value outside Logical Minimum…Maximum is a "null" value meaning "no data"
 * (HID 1.11 §6.2.2.5, Null State) and is returned as null.
 */
import type { HidField } from './report-descriptor.js';

/** Reads `bitSize` (≤ 32) bits LSB-first at `bitOffset`; null when the data is too short. */
export function readBits(data: Uint8Array, bitOffset: number, bitSize: number): number | null {
  if (bitSize < 1 || bitSize > 32 || bitOffset + bitSize > data.length * 8) return null;
  let value = 0;
  for (let i = 0; i < bitSize; i++) {
    const bit = bitOffset + i;
    if (((data[bit >> 3] ?? 0) >> (bit & 7)) & 1) value += 2 ** i;
  }
  return value;
}

/**
 * Logical value of element `index` of `field` in `data` (report bytes after the report-ID byte),
 * or null when missing, wider than 32 bits, or outside the logical range.
 */
export function readReportField(data: Uint8Array, field: HidField, index = 0): number | null {
  if (index < 0 || index >= field.count) return null;
  const raw = readBits(data, field.bitOffset + index * field.bitSize, field.bitSize);
  if (raw === null) return null;
  const half = 2 ** (field.bitSize - 1);
  const value = field.logicalMinimum < 0 && raw >= half ? raw - 2 ** field.bitSize : raw;
  // A descriptor with min = max = 0 declares no range: accept any value.
  const ranged = field.logicalMinimum !== 0 || field.logicalMaximum !== 0;
  if (ranged && (value < field.logicalMinimum || value > field.logicalMaximum)) return null;
  return value;
}
