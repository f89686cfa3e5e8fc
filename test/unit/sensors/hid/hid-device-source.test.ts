import assert from 'node:assert/strict';
import type { HeartSample } from '../../../../contracts/heart.js';
import {
  HidDeviceSource,
  IMPLAUSIBLE_REPORT_MS,
  type HidSourceEvent,
} from '../../../../sensors/hid/hid-device-source.js';
import { loadNodeHidBackend } from '../../../../sensors/hid/node-hid-backend.js';
import { parseSeatMap } from '../../../../sensors/hid/seat-map.js';
import { fixture, hex } from '../fixture.js';
import { FakeHidBackend } from './fake-hid-backend.js';

const sensorInfo = {
  path: '/dev/hidraw3',
  vendorId: 0x1209,
  productId: 0x0016,
  serialNumber: 'HR1',
};

function harness(seatMapYaml?: string): {
  backend: FakeHidBackend;
  source: HidDeviceSource;
  samples: Array<[string, HeartSample]>;
  events: HidSourceEvent[];
} {
  const backend = new FakeHidBackend();
  const samples: Array<[string, HeartSample]> = [];
  const events: HidSourceEvent[] = [];
  let seatMap;
  if (seatMapYaml) {
    const m = parseSeatMap(seatMapYaml);
    assert.ok(m.success);
    seatMap = m.data;
  }
  const source = new HidDeviceSource({
    backend,
    seatMap,
    now: () => 42,
    onSample: (seat, s) => samples.push([seat, s]),
    onEvent: (e) => events.push(e),
  });
  return { backend, source, samples, events };
}

describe('HidDeviceSource', () => {
  it('should decode a HID Sensor heart-rate device from its descriptor', async () => {
    const h = harness();
    h.backend.plug(
      { ...sensorInfo, usagePage: 0x20, usage: 0x16 },
      fixture('hid/heart-rate-sensor.desc.bin'),
    );
    await h.source.poll();
    assert.deepEqual(h.source.seats, ['hid:1209:0016:HR1#0']);
    h.backend.opened
      .get(sensorInfo.path)!
      .report(fixture('hid/heart-rate-sensor.report-72bpm.bin'));
    assert.deepEqual(h.samples, [['hid:1209:0016:HR1#0', { t: 42, bpm: 72, rr: [1000] }]]);
    await h.source.stop();
    assert.equal(h.backend.opened.get(sensorInfo.path)!.closed, true);
  });

  it('should deliver beats whose unit only seconds make plausible, and report values no unit fits', async () => {
    const backend = new FakeHidBackend();
    const samples: Array<[string, HeartSample]> = [];
    const events: HidSourceEvent[] = [];
    let now = 1_000;
    const source = new HidDeviceSource({
      backend,
      now: () => now,
      onSample: (seat, s) => samples.push([seat, s]),
      onEvent: (e) => events.push(e),
    });
    backend.plug(
      { ...sensorInfo, usagePage: 0x20, usage: 0x16 },
      fixture('hid/heartbeat-interval-no-unit.desc.bin'),
    );
    await source.poll();
    const dev = backend.opened.get(sensorInfo.path)!;
    const seat = 'hid:1209:0016:HR1#0';
    dev.report(fixture('hid/heartbeat-interval-no-unit.report-800.bin'));
    assert.deepEqual(samples.at(-1), [seat, { t: 1_000, bpm: 75, rr: [800] }]);
    // Interval 50 → 0.05: neither 0.05 ms nor 50 ms is a heartbeat. Three such reports in a row.
    for (let i = 0; i < 3; i++) {
      now += 250;
      dev.report(hex('01 4b 32 00'));
    }
    assert.deepEqual(samples.at(-1), [seat, { t: 1_750, bpm: 75 }], 'the heart rate still goes');
    const implausible = () => events.filter((e) => e.type === 'implausible');
    assert.equal(implausible().length, 1, 'reported once, not once per report');
    assert.deepEqual(
      { ...implausible()[0]!, message: undefined },
      {
        type: 'implausible',
        path: sensorInfo.path,
        seat,
        usage: 'heartbeat-interval',
        raw: 50,
        count: 1,
        message: undefined,
      },
    );
    now += IMPLAUSIBLE_REPORT_MS;
    dev.report(hex('01 4b 32 00'));
    assert.equal(implausible().length, 2);
    assert.equal((implausible()[1] as { count: number }).count, 3, 'two held back, plus this one');
    await source.stop();
  });

  it('should decode vendor-defined seats through the seat map', async () => {
    const h = harness(
      'version: 1\nseats:\n' +
        '  - { seat: C3, device: { vendorId: 0x1209, productId: 0xc0de }, channel: hr, offset: 0, width: 1 }\n' +
        '  - { seat: C4, device: { vendorId: 0x1209, productId: 0xc0de }, channel: hr, offset: 1, width: 1 }',
    );
    h.backend.plug({
      path: '/dev/hidraw9',
      vendorId: 0x1209,
      productId: 0xc0de,
      usagePage: 0xff00,
    });
    await h.source.poll();
    h.backend.opened.get('/dev/hidraw9')!.report(hex('40 50'));
    assert.deepEqual(h.samples, [
      ['C3', { t: 42, bpm: 64 }],
      ['C4', { t: 42, bpm: 80 }],
    ]);
    await h.source.stop();
  });

  it('should ignore devices without heart rate and not hold them open', async () => {
    const h = harness();
    h.backend.plug({ path: '/dev/hidraw0', vendorId: 1, productId: 2, usagePage: 1, usage: 2 });
    h.backend.plug(
      { path: '/dev/hidraw1', vendorId: 1, productId: 3 },
      fixture('hid/boot-mouse.desc.bin'),
    );
    await h.source.poll();
    assert.equal(h.backend.opened.has('/dev/hidraw0'), false);
    assert.equal(h.backend.opened.get('/dev/hidraw1')!.closed, true);
    assert.deepEqual(
      h.events.map((e) => e.type),
      ['ignored', 'ignored'],
    );
    await h.source.poll();
    assert.equal(h.events.length, 2, 'ignored devices are not re-inspected on every poll');
    await h.source.stop();
  });

  it('should not ignore a composite device listed once per top-level collection', async () => {
    const h = harness();
    const desc = fixture('hid/heart-rate-sensor.desc.bin');
    // hidapi lists the same path twice: a vendor collection first, then the Sensor page one
    h.backend.plug({ ...sensorInfo, usagePage: 0xff00, usage: 1 }, desc);
    const list = h.backend.devices.bind(h.backend);
    h.backend.devices = async () => [
      ...(await list()),
      { ...sensorInfo, usagePage: 0x20, usage: 0x16 },
    ];
    await h.source.poll();
    assert.deepEqual(h.source.seats, ['hid:1209:0016:HR1#0']);
    await h.source.stop();
  });

  it('should mark seats "no contact" when a device vanishes, and re-attach it when it returns', async () => {
    const h = harness();
    const desc = fixture('hid/two-seat-controller.desc.bin');
    h.backend.plug(sensorInfo, desc);
    await h.source.poll();
    assert.equal(h.source.seats.length, 2);
    h.backend.unplug(sensorInfo.path);
    await h.source.poll();
    assert.deepEqual(h.samples, [
      ['hid:1209:0016:HR1#0', { t: 42, contact: false, rr: [] }],
      ['hid:1209:0016:HR1#1', { t: 42, contact: false, rr: [] }],
    ]);
    assert.equal(h.source.seats.length, 0);
    assert.ok(h.events.some((e) => e.type === 'detached' && e.reason === 'device vanished'));
    h.backend.plug(sensorInfo, desc);
    await h.source.poll();
    assert.equal(h.source.seats.length, 2);
    await h.source.stop();
  });

  it('should survive device errors, bad reports and enumeration failures', async () => {
    const h = harness();
    h.backend.plug(sensorInfo, fixture('hid/heart-rate-sensor.desc.bin'));
    await h.source.poll();
    const dev = h.backend.opened.get(sensorInfo.path)!;
    dev.report(hex('01 48'));
    assert.ok(h.events.some((e) => e.type === 'decode-error' && e.code === 'truncated-report'));
    dev.emit('error', new Error('EIO'));
    await new Promise((r) => setImmediate(r));
    assert.equal(dev.closed, true);
    assert.equal(h.samples.at(-1)![1].contact, false);
    h.backend.failEnumeration = true;
    await h.source.poll();
    assert.equal(h.events.at(-1)!.type, 'error');
    await h.source.stop();
  });

  it('should notice a hot-plugged device through its poll timer', async () => {
    const h = harness();
    const attached = new Promise<void>((resolve) => {
      const s = new HidDeviceSource({
        backend: h.backend,
        pollMs: 20,
        onSample: () => undefined,
        onEvent: (e) => {
          if (e.type === 'attached') resolve();
        },
      });
      h.source = s;
    });
    await h.source.start();
    h.backend.plug(sensorInfo, fixture('hid/heart-rate-sensor.desc.bin'));
    await attached;
    assert.equal(h.source.seats.length, 1);
    await h.source.stop();
  });
});

describe('loadNodeHidBackend', () => {
  it('should name the missing system libraries when node-hid cannot load', async () => {
    const r = await loadNodeHidBackend(() =>
      Promise.reject(new Error('libusb-1.0.so.0: cannot open shared object file')),
    );
    assert.equal(r.success, false);
    if (!r.success) {
      assert.equal(r.error.code, 'node-hid-unavailable');
      assert.match(r.error.message, /libusb-1\.0-0/);
      assert.match(r.error.message, /libudev1/);
    }
  });

  it('should report a native binding that fails on first use, not at import', async () => {
    // node-hid's import succeeds without libusb; its binding loads on the first call.
    const dlopen = Object.assign(
      new Error('libusb-1.0.so.0: cannot open shared object file: No such file or directory'),
      { code: 'ERR_DLOPEN_FAILED' },
    );
    let probed = 0;
    const r = await loadNodeHidBackend(() =>
      Promise.resolve({
        setDriverType: () => undefined,
        getHidapiVersion: () => {
          probed++;
          throw dlopen;
        },
        devicesAsync: () => Promise.reject(dlopen),
        HIDAsync: { open: () => Promise.reject(dlopen) },
      }),
    );
    assert.equal(probed, 1);
    assert.equal(r.success, false);
    if (!r.success) {
      assert.equal(r.error.code, 'node-hid-unavailable');
      assert.match(r.error.message, /libusb-1\.0\.so\.0: cannot open shared object file/);
      assert.match(r.error.message, /apt-get install libusb-1\.0-0 libudev1/);
      assert.doesNotMatch(r.error.message, /\n/);
    }
  });

  it('should load the real node-hid or explain why not', async () => {
    const r = await loadNodeHidBackend();
    if (r.success) {
      assert.ok(Array.isArray(await r.data.devices()));
    } else {
      // A machine without libusb: the explanation, on one line, names what to install.
      assert.equal(r.error.code, 'node-hid-unavailable');
      assert.match(r.error.message, /libusb-1\.0-0/);
      assert.match(r.error.message, /libudev1/);
      assert.doesNotMatch(r.error.message, /\n/);
    }
  });
});
