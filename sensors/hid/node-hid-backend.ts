/**
 * The only file that touches node-hid. It is imported lazily (dynamic `import('node-hid')`) so
 * that everything else — decoders, simulator, replay, the server — works on machines where the
 * native module cannot load. node-hid's prebuilt binaries (both the hidraw and the libusb build)
 * link against the system libraries libusb-1.0-0 and libudev1 on Linux.
 *
 * node-hid loads its native binding lazily too, on the first call that needs it: `import` succeeds
 * on a machine without libusb and the dlopen error (`libusb-1.0.so.0: cannot open shared object
 * file`) would only surface later, from `devicesAsync()`, as a raw exception. So loading forces the
 * binding (`getHidapiVersion()`) and turns any failure into `{ success: false, error: { code:
 * 'node-hid-unavailable', message } }` whose one-line message names the Debian packages.
 *
 * On Linux the hidraw driver is selected (`setDriverType('hidraw')`, before the binding loads):
 * paths are /dev/hidrawN and the raw report descriptor is read from
 * /sys/class/hidraw/hidrawN/device/report_descriptor, because node-hid 3 has no API for it and the
 * kernel has no driver for HID Sensor heart-rate usages anyway (decoding happens in user space).
 */
import { readFile } from 'node:fs/promises';
import { fail, ok, type ParseResult } from '../../contracts/parse-result.js';

/** A HID device as enumerated (node-hid's `Device`). */
export interface HidDeviceInfo {
  path: string;
  vendorId: number;
  productId: number;
  serialNumber?: string | undefined;
  manufacturer?: string | undefined;
  product?: string | undefined;
  usagePage?: number | undefined;
  usage?: number | undefined;
  interface?: number | undefined;
}

/**
 * The narrow device surface Frisson uses. node-hid's HIDAsync satisfies it; tests drive the same
 * code path with recorded bytes through a fake. Input reports arrive as 'data' events (node-hid
 * reads in its own thread), so no polling `read` is needed.
 */
export interface HidDevice {
  on(event: 'data', listener: (data: Uint8Array) => void): unknown;
  on(event: 'error', listener: (err: unknown) => void): unknown;
  close(): void | Promise<void>;
  /** Raw report descriptor, when the backend can fetch it. */
  getReportDescriptor?(): Promise<Uint8Array | null>;
}

/** Enumerates and opens devices. */
export interface HidBackend {
  devices(): Promise<HidDeviceInfo[]>;
  open(info: HidDeviceInfo): Promise<HidDevice>;
}

/** What to do about it, appended to every `node-hid-unavailable` message. */
export const NODE_HID_HINT =
  'install the system libraries libusb-1.0-0 and libudev1 (Debian/Ubuntu: sudo apt-get install ' +
  'libusb-1.0-0 libudev1). Simulated seats (--simulate-seats) and trace replay work without them.';

/** One line naming the cause and the fix (the cause's own message may span lines). */
export function nodeHidUnavailableMessage(cause: unknown): string {
  const text = (cause instanceof Error ? cause.message : String(cause)).replace(/\s+/g, ' ').trim();
  const code = (cause as { code?: unknown } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' && /node-hid/.test(text)) {
    return 'HID devices unavailable: the node-hid package is not installed (run npm install in the Frisson directory). Simulated seats (--simulate-seats) and trace replay work without it.';
  }
  return `HID devices unavailable: node-hid's native module did not load (${text}); ${NODE_HID_HINT}`;
}

/** Reads the hidraw report descriptor from sysfs; null when unavailable. */
export async function readSysfsReportDescriptor(path: string): Promise<Uint8Array | null> {
  const m = /\/dev\/(hidraw\d+)$/.exec(path);
  if (!m) return null;
  try {
    return new Uint8Array(await readFile(`/sys/class/hidraw/${m[1]}/device/report_descriptor`));
  } catch {
    return null;
  }
}

interface NodeHidModule {
  devicesAsync(): Promise<Array<Omit<HidDeviceInfo, 'path'> & { path?: string | undefined }>>;
  setDriverType?(type: 'hidraw' | 'libusb'): void;
  /** Loads the native binding (node-hid ≥ 2); throws ERR_DLOPEN_FAILED without libusb. */
  getHidapiVersion?(): string;
  HIDAsync: {
    open(
      path: string,
      options?: { nonExclusive?: boolean },
    ): Promise<{
      on(event: string, listener: (arg: never) => void): unknown;
      close(): Promise<void>;
    }>;
  };
}

/**
 * Loads node-hid, forces its native binding and wraps it as a HidBackend. Never throws: a module
 * or binding that cannot load gives `node-hid-unavailable` with a one-line message naming the
 * cause and the packages to install.
 *
 * @example
 * const r = await loadNodeHidBackend();
 * if (!r.success) console.error(r.error.message); // HID devices unavailable: … libusb-1.0-0 …
 */
export async function loadNodeHidBackend(
  importer: () => Promise<unknown> = () => import('node-hid'),
): Promise<ParseResult<HidBackend, 'node-hid-unavailable'>> {
  let mod: NodeHidModule;
  try {
    const m = (await importer()) as NodeHidModule & { default?: NodeHidModule };
    mod = typeof m.devicesAsync === 'function' ? m : (m.default ?? m);
    if (typeof mod.devicesAsync !== 'function') throw new Error('unexpected node-hid module shape');
    if (process.platform === 'linux') {
      try {
        mod.setDriverType?.('hidraw');
      } catch {
        // Older builds only have one driver; enumeration still works.
      }
    }
    // The binding loads here, not at import: this is where a missing libusb shows.
    if (typeof mod.getHidapiVersion === 'function') mod.getHidapiVersion();
    else await mod.devicesAsync();
  } catch (e) {
    return fail('node-hid-unavailable', nodeHidUnavailableMessage(e));
  }
  return ok({
    async devices() {
      const list = await mod.devicesAsync();
      return list
        .filter(
          (d): d is typeof d & { path: string } => typeof d.path === 'string' && d.path !== '',
        )
        .map((d) => ({ ...d }));
    },
    async open(info) {
      const dev = await mod.HIDAsync.open(info.path, { nonExclusive: true });
      return {
        on: (event: string, listener: (arg: never) => void) => dev.on(event, listener),
        close: () => dev.close(),
        getReportDescriptor: () => readSysfsReportDescriptor(info.path),
      };
    },
  });
}
