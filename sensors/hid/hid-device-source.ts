/**
 * Watches HID devices and turns their input reports into per-seat HeartSamples.
 *
 * - Devices listed in the seat map (vendor-defined seat controllers) are decoded with their
 *   mapping; other devices are decoded when their report descriptor has a HID Sensor heart-rate
 *   collection (Usage Tables 1.4, page 0x20 usage 0x16/0x17). Everything else is ignored.
 * - Hot-plug: the device list is polled every `pollMs` (default 1 s, so appearing and vanishing
 *   devices are noticed within 2 s). A vanished or failing device is closed and each of its seats
 *   gets a `contact: false` sample ("no contact"), never an exception.
 * - A value the decoder finds plausible in no unit is left out of the sample and reported as an
 *   `implausible` event (throttled per seat), so a misbehaving seat is visible, not silent.
 * - All I/O goes through the injected HidBackend, so tests replay recorded bytes through exactly
 *   this code.
 */
import type { HeartSample } from '../../contracts/heart.js';
import {
  createHeartRateReportDecoder,
  type HidImplausibleValue,
} from './heart-rate-report-decoder.js';
import type { HidBackend, HidDevice, HidDeviceInfo } from './node-hid-backend.js';
import { parseReportDescriptor } from './report-descriptor.js';
import { decodeSeatReport, seatChannelsFor, type SeatMap } from './seat-map.js';

export type HidSourceEvent =
  | { type: 'attached'; path: string; seats: string[]; via: 'seat-map' | 'hid-sensor' }
  | { type: 'detached'; path: string; seats: string[]; reason: string }
  | { type: 'ignored'; path: string; reason: string }
  | { type: 'decode-error'; path: string; code: string; message: string }
  /**
   * A value no unit makes plausible was left out of the seat's sample (see
   * heart-rate-report-decoder.ts). At most one event per seat and usage every IMPLAUSIBLE_REPORT_MS;
   * `count` = such values since the previous event, this one included.
   */
  | {
      type: 'implausible';
      path: string;
      seat: string;
      usage: HidImplausibleValue['usage'];
      raw: number;
      message: string;
      count: number;
    }
  | { type: 'error'; message: string };

export interface HidDeviceSourceOptions {
  backend: HidBackend;
  seatMap?: SeatMap | undefined;
  onSample(seat: string, sample: HeartSample): void;
  onEvent?(event: HidSourceEvent): void;
  /** Hot-plug poll interval, ms (≤ 2000 to meet the 2 s requirement). Default 1000. */
  pollMs?: number;
  /** Clock for sample timestamps (epoch ms). */
  now?: () => number;
}

/** Minimum spacing of `implausible` events per seat and usage (a broken seat reports 1–4 times a second). */
export const IMPLAUSIBLE_REPORT_MS = 10_000;

interface OpenDevice {
  info: HidDeviceInfo;
  device: HidDevice;
  seats: string[];
}

/** Stable seat id for a HID Sensor device without a seat map. */
export function hidSensorSeatId(info: HidDeviceInfo, sensor: number): string {
  const hex = (n: number): string => n.toString(16).padStart(4, '0');
  return `hid:${hex(info.vendorId)}:${hex(info.productId)}:${info.serialNumber || info.path}#${sensor}`;
}

/**
 * @example
 * const src = new HidDeviceSource({ backend, seatMap, onSample: (seat, s) => agent.add(seat, s) });
 * await src.start();
 * // …
 * await src.stop();
 */
export class HidDeviceSource {
  private readonly open = new Map<string, OpenDevice>();
  /** Paths inspected and found irrelevant; forgotten when they vanish. */
  private readonly ignored = new Set<string>();
  /** Per `seat|usage`: when the last `implausible` event went out and how many values since. */
  private readonly implausible = new Map<string, { at: number; count: number }>();
  private readonly pollMs: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly options: HidDeviceSourceOptions) {
    this.pollMs = Math.min(options.pollMs ?? 1000, 2000);
    this.now = options.now ?? Date.now;
  }

  /** Seats of the currently open devices. */
  get seats(): string[] {
    return [...this.open.values()].flatMap((d) => d.seats);
  }

  /** Performs a first scan, then keeps polling for hot-plug changes. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.poll();
    if (this.stopped) return;
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref?.();
  }

  /** Stops polling and closes every device. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.polling;
    const all = [...this.open.keys()];
    for (const path of all) await this.detach(path, 'stopped', false);
  }

  /** One hot-plug scan (also called by the timer). Never rejects. */
  poll(): Promise<void> {
    this.polling ??= this.scan().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  private async scan(): Promise<void> {
    let list: HidDeviceInfo[];
    try {
      list = await this.options.backend.devices();
    } catch (e) {
      this.emit({ type: 'error', message: `enumeration failed: ${errText(e)}` });
      return;
    }
    // hidapi lists a device once per top-level collection (same path): keep one entry per path,
    // preferring the Sensor-page one, so a composite device is not ignored for its first usage.
    const byPath = new Map<string, HidDeviceInfo>();
    for (const d of list) {
      const seen = byPath.get(d.path);
      if (!seen || (seen.usagePage !== 0x20 && d.usagePage === 0x20)) byPath.set(d.path, d);
    }
    list = [...byPath.values()];
    const present = new Set(byPath.keys());
    for (const path of [...this.open.keys()]) {
      if (!present.has(path)) await this.detach(path, 'device vanished', true);
    }
    for (const path of [...this.ignored]) if (!present.has(path)) this.ignored.delete(path);
    for (const info of list) {
      if (this.stopped) return;
      if (this.open.has(info.path) || this.ignored.has(info.path)) continue;
      await this.attach(info);
    }
  }

  private async attach(info: HidDeviceInfo): Promise<void> {
    const channels = this.options.seatMap ? seatChannelsFor(this.options.seatMap, info) : [];
    let device: HidDevice | null = null;
    try {
      if (channels.length > 0) {
        device = await this.options.backend.open(info);
        const seats = [...new Set(channels.map((c) => c.seat))];
        this.track(info, device, seats, (data) => {
          for (const { seat, sample } of decodeSeatReport(channels, data, this.now())) {
            this.options.onSample(seat, sample);
          }
        });
        this.emit({ type: 'attached', path: info.path, seats, via: 'seat-map' });
        return;
      }
      // Only HID Sensor candidates are opened to read their descriptor: on hidraw that is
      // cheap, and other devices (keyboards, mice) are never held open.
      if (info.usagePage !== undefined && info.usagePage !== 0x20) {
        this.ignore(
          info.path,
          `usage page 0x${info.usagePage.toString(16)} is not the Sensor page`,
        );
        return;
      }
      device = await this.options.backend.open(info);
      const bytes = (await device.getReportDescriptor?.()) ?? null;
      if (!bytes) {
        await closeQuietly(device);
        this.ignore(info.path, 'no report descriptor available and not in the seat map');
        return;
      }
      const parsed = parseReportDescriptor(bytes);
      const dec = parsed.success ? createHeartRateReportDecoder(parsed.data) : parsed;
      if (!dec.success) {
        await closeQuietly(device);
        this.ignore(info.path, dec.error.message);
        return;
      }
      const decoder = dec.data;
      const seats = decoder.sensors.map((s) => hidSensorSeatId(info, s.index));
      this.track(info, device, seats, (data) => {
        const r = decoder.decode(data, this.now());
        if (!r.success) {
          this.emit({ type: 'decode-error', path: info.path, ...r.error });
          return;
        }
        for (const reading of r.data) {
          const seat = seats[reading.sensor];
          if (seat === undefined) continue;
          for (const v of reading.implausible ?? []) this.reportImplausible(info.path, seat, v);
          this.options.onSample(seat, reading.sample);
        }
      });
      this.emit({ type: 'attached', path: info.path, seats, via: 'hid-sensor' });
    } catch (e) {
      if (device && !this.open.has(info.path)) await closeQuietly(device);
      this.emit({ type: 'error', message: `cannot open ${info.path}: ${errText(e)}` });
    }
  }

  private track(
    info: HidDeviceInfo,
    device: HidDevice,
    seats: string[],
    onReport: (data: Uint8Array) => void,
  ): void {
    this.open.set(info.path, { info, device, seats });
    device.on('data', (data) => {
      try {
        onReport(data instanceof Uint8Array ? data : Uint8Array.from(data));
      } catch (e) {
        // A throwing consumer must not take the device down (hls.js-style error isolation).
        this.emit({ type: 'error', message: `sample handler failed: ${errText(e)}` });
      }
    });
    device.on('error', (err) => {
      void this.detach(info.path, `device error: ${errText(err)}`, true);
    });
  }

  private async detach(path: string, reason: string, noContact: boolean): Promise<void> {
    const d = this.open.get(path);
    if (!d) return;
    this.open.delete(path);
    for (const seat of d.seats) {
      for (const key of [...this.implausible.keys()]) {
        if (key.startsWith(`${seat}|`)) this.implausible.delete(key);
      }
    }
    await closeQuietly(d.device);
    if (noContact) {
      const t = this.now();
      for (const seat of d.seats) this.options.onSample(seat, { t, contact: false, rr: [] });
    }
    this.emit({ type: 'detached', path, seats: d.seats, reason });
  }

  private reportImplausible(path: string, seat: string, v: HidImplausibleValue): void {
    const key = `${seat}|${v.usage}`;
    const now = this.now();
    const last = this.implausible.get(key);
    if (last && now - last.at < IMPLAUSIBLE_REPORT_MS) {
      last.count++;
      return;
    }
    const count = (last?.count ?? 0) + 1;
    this.implausible.set(key, { at: now, count: 0 });
    this.emit({
      type: 'implausible',
      path,
      seat,
      usage: v.usage,
      raw: v.raw,
      message: v.message,
      count,
    });
  }

  private ignore(path: string, reason: string): void {
    this.ignored.add(path);
    this.emit({ type: 'ignored', path, reason });
  }

  private emit(e: HidSourceEvent): void {
    try {
      this.options.onEvent?.(e);
    } catch {
      // Listener failures are the listener's problem.
    }
  }
}

async function closeQuietly(device: HidDevice): Promise<void> {
  try {
    await device.close();
  } catch {
    // Closing a vanished device can fail; it is gone either way.
  }
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
