/**
 * USB HID report-descriptor parser (Device Class Definition for HID 1.11, §6.2.2 "Report
 * Descriptor" and §5.8 "Format of Items").
 *
 * Supports short items (0/1/2/4 data bytes) and long items (prefix 0xFE), Main / Global / Local
 * items, usage pages with 1- and 2-byte usages and 4-byte extended usages (page in the high 16 bits,
 * §6.2.2.8), usage ranges, report ids, sizes and counts, logical and physical ranges with sign,
 * unit and unit exponent, nested collections and Push/Pop of the global state.
 *
 * Signedness follows the Linux kernel (drivers/hid/hid-core.c): Logical/Physical Minimum are
 * two's-complement signed in their item size; Logical/Physical Maximum are signed only when the
 * minimum is negative, otherwise unsigned (so `25 FF` after `15 00` means 255, not −1). Unit
 * Exponent uses the 4-bit signed nibble from HID 1.11 §6.2.2.7 (`55 0E` = −2) when it fits in a
 * nibble, otherwise the full signed value.
 *
 * Never throws: malformed descriptors give `{ success: false, error: { code, message, offset } }`.
 */
import { fail, ok, type ParseResult } from '../../contracts/parse-result.js';

export type ReportType = 'input' | 'output' | 'feature';

export type HidItemType = 'main' | 'global' | 'local' | 'reserved' | 'long';

export interface HidItem {
  /** Byte offset of the item prefix. */
  offset: number;
  type: HidItemType;
  tag: number;
  /** Data size in bytes. */
  size: number;
  /** Data as an unsigned little-endian integer (long items: 0). */
  data: number;
}

export interface HidCollection {
  index: number;
  /** Parent collection index, −1 at top level. */
  parent: number;
  depth: number;
  /** 0 Physical, 1 Application, 2 Logical, 3 Report, 4 Named Array, 5 Usage Switch, 6 Usage Modifier. */
  type: number;
  /** Extended usage (page << 16 | id) of the collection, or null when none was declared. */
  usage: number | null;
  offset: number;
}

export interface HidField {
  reportType: ReportType;
  /** Report ID, 0 when the descriptor declares none. */
  reportId: number;
  /** Bit offset from the first data byte (after the report-ID byte when ids are used). */
  bitOffset: number;
  /** Report Size, bits per element. */
  bitSize: number;
  /** Report Count, number of elements. */
  count: number;
  /** Main item data bits (bit 0 Constant, 1 Variable, 2 Relative, 6 Null State, …). */
  flags: number;
  constant: boolean;
  variable: boolean;
  relative: boolean;
  nullState: boolean;
  /**
   * Extended usages (page << 16 | id): for Variable items one per element (the last declared usage
   * repeats, §6.2.2.8); for Array items the declared list (ranges are in usageMinimum/Maximum).
   */
  usages: number[];
  usageMinimum?: number;
  usageMaximum?: number;
  logicalMinimum: number;
  logicalMaximum: number;
  physicalMinimum: number;
  physicalMaximum: number;
  unitExponent: number;
  unit: number;
  /** Innermost enclosing collection index, −1 at top level. */
  collection: number;
  /** Byte offset of the Main item that declared the field. */
  offset: number;
}

export interface HidReportLayout {
  type: ReportType;
  id: number;
  /** Data bits, excluding the report-ID byte. */
  bits: number;
}

export interface HidReportDescriptor {
  items: HidItem[];
  collections: HidCollection[];
  fields: HidField[];
  reports: HidReportLayout[];
  /** True when any Report ID item appears: every report then starts with its id byte. */
  usesReportIds: boolean;
}

export type ReportDescriptorErrorCode =
  | 'invalid-input'
  | 'empty'
  | 'too-large'
  | 'truncated-item'
  | 'invalid-item'
  | 'invalid-report-id'
  | 'invalid-report-size'
  | 'invalid-report-count'
  | 'report-too-large'
  | 'stack-underflow'
  | 'stack-overflow'
  | 'unbalanced-collection';

/** Linux HID_MAX_DESCRIPTOR_SIZE is 4096; allow generous headroom but stay bounded. */
const MAX_DESCRIPTOR_BYTES = 65_536;
/** Linux hid-core.c rejects report_size > 256 and report_count > HID_MAX_USAGES (12288). */
const MAX_REPORT_SIZE = 256;
const MAX_REPORT_COUNT = 12_288;
/** Linux HID_MAX_BUFFER_SIZE: 16 KiB per report. */
const MAX_REPORT_BITS = 16_384 * 8;
const MAX_PUSH_DEPTH = 32;
const MAX_COLLECTION_DEPTH = 64;

interface GlobalState {
  usagePage: number;
  logicalMinimum: number;
  logicalMaximum: number;
  logicalMaxRaw: number;
  logicalMaxSize: number;
  physicalMinimum: number;
  physicalMaximum: number;
  physicalMaxRaw: number;
  physicalMaxSize: number;
  unitExponent: number;
  unit: number;
  reportSize: number;
  reportId: number;
  reportCount: number;
}

interface LocalUsage {
  value: number;
  /** 4-byte usage: already carries its page. */
  extended: boolean;
}

interface LocalState {
  usages: LocalUsage[];
  usageMinimum: LocalUsage | null;
  usageMaximum: LocalUsage | null;
}

const freshGlobal = (): GlobalState => ({
  usagePage: 0,
  logicalMinimum: 0,
  logicalMaximum: 0,
  logicalMaxRaw: 0,
  logicalMaxSize: 0,
  physicalMinimum: 0,
  physicalMaximum: 0,
  physicalMaxRaw: 0,
  physicalMaxSize: 0,
  unitExponent: 0,
  unit: 0,
  reportSize: 0,
  reportId: 0,
  reportCount: 0,
});

const freshLocal = (): LocalState => ({ usages: [], usageMinimum: null, usageMaximum: null });

/** Two's-complement interpretation of an unsigned value of `size` bytes. */
export function toSigned(value: number, size: number): number {
  if (size === 0) return 0;
  const bits = size * 8;
  const half = 2 ** (bits - 1);
  return value >= half ? value - 2 ** bits : value;
}

const resolveUsage = (u: LocalUsage, page: number): number =>
  u.extended ? u.value >>> 0 : ((page << 16) | (u.value & 0xffff)) >>> 0;

const MAIN_TAGS: Record<number, ReportType> = { 0x8: 'input', 0x9: 'output', 0xb: 'feature' };

/**
 * Parses a HID report descriptor.
 *
 * @example
 * const r = parseReportDescriptor(Uint8Array.from([0x05, 0x20, 0x09, 0x16, 0xa1, 0x01, 0xc0]));
 * if (r.success) r.data.collections[0].usage; // 0x00200016 (Sensor page, Heart Rate)
 */
export function parseReportDescriptor(
  bytes: Uint8Array,
): ParseResult<HidReportDescriptor, ReportDescriptorErrorCode> {
  if (!(bytes instanceof Uint8Array)) return fail('invalid-input', 'expected a Uint8Array');
  if (bytes.length === 0) return fail('empty', 'the descriptor is empty', 0);
  if (bytes.length > MAX_DESCRIPTOR_BYTES) {
    return fail('too-large', `descriptor of ${bytes.length} bytes exceeds ${MAX_DESCRIPTOR_BYTES}`);
  }

  const items: HidItem[] = [];
  const collections: HidCollection[] = [];
  const fields: HidField[] = [];
  const reportBits = new Map<string, number>();
  const reportOrder: HidReportLayout[] = [];
  const stack: GlobalState[] = [];
  const open: number[] = [];
  let g = freshGlobal();
  let local = freshLocal();
  let usesReportIds = false;

  let pos = 0;
  while (pos < bytes.length) {
    const offset = pos;
    const prefix = bytes[pos] ?? 0;
    if (prefix === 0xfe) {
      // Long item (§6.2.2.3): 0xFE, bDataSize, bLongItemTag, data. No tags are defined; skip it.
      if (pos + 3 > bytes.length) return fail('truncated-item', 'long item header truncated', pos);
      const dataSize = bytes[pos + 1] ?? 0;
      const tag = bytes[pos + 2] ?? 0;
      if (pos + 3 + dataSize > bytes.length) {
        return fail(
          'truncated-item',
          `long item declares ${dataSize} data bytes past the end`,
          pos,
        );
      }
      items.push({ offset, type: 'long', tag, size: dataSize, data: 0 });
      pos += 3 + dataSize;
      continue;
    }
    const sizeCode = prefix & 0x03;
    const size = sizeCode === 3 ? 4 : sizeCode;
    const typeCode = (prefix >> 2) & 0x03;
    const tag = (prefix >> 4) & 0x0f;
    if (pos + 1 + size > bytes.length) {
      return fail('truncated-item', `item 0x${prefix.toString(16)} needs ${size} data bytes`, pos);
    }
    let data = 0;
    for (let i = 0; i < size; i++) data += (bytes[pos + 1 + i] ?? 0) * 2 ** (8 * i);
    pos += 1 + size;
    const type: HidItemType =
      (['main', 'global', 'local', 'reserved'] as const)[typeCode] ?? 'reserved';
    items.push({ offset, type, tag, size, data });

    if (type === 'global') {
      switch (tag) {
        case 0x0:
          g.usagePage = data & 0xffff;
          break;
        case 0x1:
          g.logicalMinimum = toSigned(data, size);
          break;
        case 0x2:
          g.logicalMaxRaw = data;
          g.logicalMaxSize = size;
          break;
        case 0x3:
          g.physicalMinimum = toSigned(data, size);
          break;
        case 0x4:
          g.physicalMaxRaw = data;
          g.physicalMaxSize = size;
          break;
        case 0x5:
          g.unitExponent = size === 1 && data <= 0x0f ? toSignedNibble(data) : toSigned(data, size);
          break;
        case 0x6:
          g.unit = data;
          break;
        case 0x7:
          if (data < 1 || data > MAX_REPORT_SIZE) {
            return fail(
              'invalid-report-size',
              `Report Size ${data} outside 1–${MAX_REPORT_SIZE}`,
              offset,
            );
          }
          g.reportSize = data;
          break;
        case 0x8:
          // Report ID 0 is reserved (HID 1.11 §6.2.2.7).
          if (data < 1 || data > 255) {
            return fail('invalid-report-id', `Report ID ${data} outside 1–255`, offset);
          }
          g.reportId = data;
          usesReportIds = true;
          break;
        case 0x9:
          if (data > MAX_REPORT_COUNT) {
            return fail(
              'invalid-report-count',
              `Report Count ${data} exceeds ${MAX_REPORT_COUNT}`,
              offset,
            );
          }
          g.reportCount = data;
          break;
        case 0xa:
          if (stack.length >= MAX_PUSH_DEPTH) {
            return fail('stack-overflow', `more than ${MAX_PUSH_DEPTH} nested Push items`, offset);
          }
          stack.push({ ...g });
          break;
        case 0xb: {
          const popped = stack.pop();
          if (!popped) return fail('stack-underflow', 'Pop without a matching Push', offset);
          g = popped;
          break;
        }
        default:
          return fail('invalid-item', `reserved global item tag 0x${tag.toString(16)}`, offset);
      }
      continue;
    }

    if (type === 'local') {
      const u: LocalUsage = { value: data, extended: size === 4 };
      switch (tag) {
        case 0x0:
          local.usages.push(u);
          break;
        case 0x1:
          local.usageMinimum = u;
          break;
        case 0x2:
          local.usageMaximum = u;
          break;
        default:
          // Designator, string and delimiter items (tags 3–5, 7–10) carry no layout information.
          break;
      }
      continue;
    }

    if (type === 'reserved') {
      return fail('invalid-item', `reserved item type at prefix 0x${prefix.toString(16)}`, offset);
    }

    // Main items
    if (tag === 0xa) {
      if (open.length >= MAX_COLLECTION_DEPTH) {
        return fail(
          'unbalanced-collection',
          `collections nested deeper than ${MAX_COLLECTION_DEPTH}`,
          offset,
        );
      }
      const first = local.usages[0] ?? local.usageMinimum;
      const c: HidCollection = {
        index: collections.length,
        parent: open[open.length - 1] ?? -1,
        depth: open.length,
        type: data & 0xff,
        usage: first ? resolveUsage(first, g.usagePage) : null,
        offset,
      };
      collections.push(c);
      open.push(c.index);
    } else if (tag === 0xc) {
      if (open.length === 0) {
        return fail('unbalanced-collection', 'End Collection without an open collection', offset);
      }
      open.pop();
    } else {
      const reportType = MAIN_TAGS[tag];
      if (!reportType) {
        return fail('invalid-item', `reserved main item tag 0x${tag.toString(16)}`, offset);
      }
      const logicalMaximum = resolveMax(g.logicalMinimum, g.logicalMaxRaw, g.logicalMaxSize);
      const physicalMaximum = resolveMax(g.physicalMinimum, g.physicalMaxRaw, g.physicalMaxSize);
      const key = `${reportType}:${g.reportId}`;
      let bitOffset = reportBits.get(key);
      if (bitOffset === undefined) {
        bitOffset = 0;
        reportOrder.push({ type: reportType, id: g.reportId, bits: 0 });
      }
      const bits = g.reportSize * g.reportCount;
      if (bitOffset + bits > MAX_REPORT_BITS) {
        return fail(
          'report-too-large',
          `${reportType} report ${g.reportId} exceeds 16 KiB`,
          offset,
        );
      }
      const variable = (data & 0x02) !== 0;
      const field: HidField = {
        reportType,
        reportId: g.reportId,
        bitOffset,
        bitSize: g.reportSize,
        count: g.reportCount,
        flags: data,
        constant: (data & 0x01) !== 0,
        variable,
        relative: (data & 0x04) !== 0,
        nullState: (data & 0x40) !== 0,
        usages: [],
        logicalMinimum: g.logicalMinimum,
        logicalMaximum,
        physicalMinimum: g.physicalMinimum,
        physicalMaximum,
        unitExponent: g.unitExponent,
        unit: g.unit,
        collection: open[open.length - 1] ?? -1,
        offset,
      };
      const declared = local.usages.map((u) => resolveUsage(u, g.usagePage));
      const min = local.usageMinimum ? resolveUsage(local.usageMinimum, g.usagePage) : undefined;
      const max = local.usageMaximum ? resolveUsage(local.usageMaximum, g.usagePage) : undefined;
      if (min !== undefined) field.usageMinimum = min;
      if (max !== undefined) field.usageMaximum = max;
      if (variable) {
        for (let i = 0; i < g.reportCount; i++) {
          const u =
            declared.length > 0
              ? declared[Math.min(i, declared.length - 1)]
              : min !== undefined
                ? Math.min(min + i, max ?? min + i)
                : undefined;
          if (u === undefined) break;
          field.usages.push(u);
        }
      } else {
        field.usages = declared;
      }
      fields.push(field);
      reportBits.set(key, bitOffset + bits);
    }
    // Local items apply to the next Main item only (§6.2.2.8).
    local = freshLocal();
  }

  if (open.length > 0) {
    return fail('unbalanced-collection', `${open.length} collection(s) not closed`, bytes.length);
  }
  const reports = reportOrder.map((r) => ({
    ...r,
    bits: reportBits.get(`${r.type}:${r.id}`) ?? 0,
  }));
  return ok({ items, collections, fields, reports, usesReportIds });
}

function toSignedNibble(v: number): number {
  return v >= 8 ? v - 16 : v;
}

function resolveMax(min: number, raw: number, size: number): number {
  return min < 0 ? toSigned(raw, size) : raw;
}

/** Is collection `c` equal to or nested inside `ancestor`? */
export function isWithinCollection(
  desc: HidReportDescriptor,
  c: number,
  ancestor: number,
): boolean {
  for (let i = c; i >= 0; i = desc.collections[i]?.parent ?? -1) if (i === ancestor) return true;
  return false;
}
