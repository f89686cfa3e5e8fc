/** A HidBackend that replays recorded bytes through the real HidDeviceSource code path. */
import { EventEmitter } from 'node:events';
import type {
  HidBackend,
  HidDevice,
  HidDeviceInfo,
} from '../../../../sensors/hid/node-hid-backend.js';

export class FakeHidDevice extends EventEmitter implements HidDevice {
  closed = false;
  constructor(readonly descriptor: Uint8Array | null) {
    super();
  }
  close(): void {
    this.closed = true;
  }
  getReportDescriptor(): Promise<Uint8Array | null> {
    return Promise.resolve(this.descriptor);
  }
  /** Delivers one recorded input report. */
  report(bytes: Uint8Array): void {
    this.emit('data', bytes);
  }
}

export class FakeHidBackend implements HidBackend {
  readonly present = new Map<string, { info: HidDeviceInfo; descriptor: Uint8Array | null }>();
  readonly opened = new Map<string, FakeHidDevice>();
  failEnumeration = false;

  plug(info: HidDeviceInfo, descriptor: Uint8Array | null = null): void {
    this.present.set(info.path, { info, descriptor });
  }

  unplug(path: string): void {
    this.present.delete(path);
  }

  devices(): Promise<HidDeviceInfo[]> {
    if (this.failEnumeration) return Promise.reject(new Error('udev went away'));
    return Promise.resolve([...this.present.values()].map((d) => d.info));
  }

  open(info: HidDeviceInfo): Promise<HidDevice> {
    const d = this.present.get(info.path);
    if (!d) return Promise.reject(new Error('no such device'));
    const dev = new FakeHidDevice(d.descriptor);
    this.opened.set(info.path, dev);
    return Promise.resolve(dev);
  }
}
