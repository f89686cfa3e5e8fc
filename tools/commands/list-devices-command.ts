/** `frisson sensors list`: HID devices and whether they carry heart rate. */
import { createHeartRateReportDecoder } from '../../sensors/hid/heart-rate-report-decoder.js';
import { loadNodeHidBackend, type HidBackend } from '../../sensors/hid/node-hid-backend.js';
import { parseReportDescriptor } from '../../sensors/hid/report-descriptor.js';
import { seatChannelsFor, type SeatMap } from '../../sensors/hid/seat-map.js';
import { json, type CommandOutput } from '../command-output.js';

export interface ListedDevice {
  path: string;
  vendorId: string;
  productId: string;
  product: string | null;
  serialNumber: string | null;
  heartRate: 'hid-sensor' | 'seat-map' | 'no' | 'unknown';
  detail: string;
}

async function classify(
  backend: HidBackend,
  info: Awaited<ReturnType<HidBackend['devices']>>[number],
  seatMap: SeatMap | undefined,
): Promise<Pick<ListedDevice, 'heartRate' | 'detail'>> {
  if (seatMap && seatChannelsFor(seatMap, info).length > 0) {
    const seats = [...new Set(seatChannelsFor(seatMap, info).map((c) => c.seat))];
    return { heartRate: 'seat-map', detail: `seats ${seats.join(', ')}` };
  }
  if (info.usagePage !== undefined && info.usagePage !== 0x20) {
    return { heartRate: 'no', detail: `usage page 0x${info.usagePage.toString(16)}` };
  }
  try {
    const dev = await backend.open(info);
    try {
      const bytes = await dev.getReportDescriptor?.();
      if (!bytes) return { heartRate: 'unknown', detail: 'report descriptor not readable' };
      const d = parseReportDescriptor(bytes);
      if (!d.success) return { heartRate: 'unknown', detail: `descriptor: ${d.error.message}` };
      const dec = createHeartRateReportDecoder(d.data);
      return dec.success
        ? { heartRate: 'hid-sensor', detail: `${dec.data.sensors.length} heart-rate sensor(s)` }
        : { heartRate: 'no', detail: 'no heart-rate usages' };
    } finally {
      await dev.close();
    }
  } catch (e) {
    return {
      heartRate: 'unknown',
      detail: `cannot open: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

const hex4 = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;

/** Returns the exit code: 0 listed (possibly none), 2 when node-hid cannot load. */
export async function listDevicesCommand(
  opts: { json?: boolean; seatMap?: SeatMap; backend?: HidBackend },
  io: CommandOutput,
): Promise<number> {
  let backend = opts.backend;
  if (!backend) {
    const loaded = await loadNodeHidBackend();
    if (!loaded.success) {
      if (opts.json) io.out(json(loaded));
      else io.err(`frisson: ${loaded.error.message}\n`);
      return 2;
    }
    backend = loaded.data;
  }
  const infos = await backend.devices();
  const rows: ListedDevice[] = [];
  for (const info of infos) {
    rows.push({
      path: info.path,
      vendorId: hex4(info.vendorId),
      productId: hex4(info.productId),
      product: info.product ?? null,
      serialNumber: info.serialNumber ?? null,
      ...(await classify(backend, info, opts.seatMap)),
    });
  }
  if (opts.json) {
    io.out(json({ devices: rows }));
  } else if (rows.length === 0) {
    io.out('No HID devices found (on Linux, check read permission on /dev/hidraw*).\n');
  } else {
    for (const r of rows) {
      io.out(
        `${r.path}  ${r.vendorId}:${r.productId}  ${r.product ?? '-'}  heart rate: ${r.heartRate} (${r.detail})\n`,
      );
    }
  }
  return 0;
}
