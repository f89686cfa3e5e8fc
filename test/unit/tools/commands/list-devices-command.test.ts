import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { listDevicesCommand } from '../../../../tools/commands/list-devices-command.js';
import { parseSeatMap } from '../../../../sensors/hid/seat-map.js';
import { fixture } from '../../sensors/fixture.js';
import { FakeHidBackend } from '../../sensors/hid/fake-hid-backend.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** Whether node-hid's native binding loads here (it needs libusb-1.0-0 and libudev1). */
function nodeHidLoads(): boolean {
  try {
    const hid = createRequire(import.meta.url)('node-hid') as { getHidapiVersion(): string };
    hid.getHidapiVersion();
    return true;
  } catch {
    return false;
  }
}

describe('listDevicesCommand', () => {
  it('should classify devices by descriptor, usage page and seat map', async () => {
    const backend = new FakeHidBackend();
    backend.plug({
      path: '/dev/hidraw0',
      vendorId: 0x046d,
      productId: 0xc077,
      usagePage: 1,
      product: 'Mouse',
    });
    backend.plug(
      { path: '/dev/hidraw1', vendorId: 0x1209, productId: 0x16 },
      fixture('hid/two-seat-controller.desc.bin'),
    );
    backend.plug({ path: '/dev/hidraw2', vendorId: 0x1209, productId: 0xc0de, usagePage: 0xff00 });
    backend.plug({ path: '/dev/hidraw3', vendorId: 0x1209, productId: 0x17 });
    const map = parseSeatMap(
      'version: 1\nseats:\n  - { seat: A1, device: { vendorId: 0x1209, productId: 0xc0de }, channel: hr, offset: 0, width: 1 }',
    );
    assert.ok(map.success);
    let out = '';
    const code = await listDevicesCommand(
      { json: true, backend, seatMap: map.data },
      { out: (s) => (out += s), err: () => undefined },
    );
    assert.equal(code, 0);
    const rows = (JSON.parse(out) as { devices: Array<{ heartRate: string; detail: string }> })
      .devices;
    assert.deepEqual(
      rows.map((r) => r.heartRate),
      ['no', 'hid-sensor', 'seat-map', 'unknown'],
    );
    assert.equal(rows[1]!.detail, '2 heart-rate sensor(s)');
    assert.equal(backend.opened.get('/dev/hidraw1')!.closed, true, 'inspection closes the device');
  });

  it('should print a readable line per device', async () => {
    const backend = new FakeHidBackend();
    backend.plug({
      path: '/dev/hidraw0',
      vendorId: 1,
      productId: 2,
      usagePage: 1,
      product: 'Keyboard',
    });
    let out = '';
    await listDevicesCommand({ backend }, { out: (s) => (out += s), err: () => undefined });
    assert.match(out, /\/dev\/hidraw0 {2}0x0001:0x0002 {2}Keyboard {2}heart rate: no/);
  });

  it('should exit 2 with a one-line libusb hint when node-hid cannot load (real CLI)', function () {
    this.timeout(30_000);
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'tools/cli.ts', 'sensors', 'list'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 25_000,
    });
    if (nodeHidLoads()) {
      // libusb present: the real devices are listed (possibly none).
      assert.equal(r.status, 0, r.stderr);
      return;
    }
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stdout, '');
    const lines = r.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /^frisson: HID devices unavailable: .*libusb-1\.0\.so\.0/);
    assert.match(lines[0]!, /apt-get install libusb-1\.0-0 libudev1/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });
});
