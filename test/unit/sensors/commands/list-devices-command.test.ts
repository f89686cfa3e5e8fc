import assert from 'node:assert/strict';
import { listDevicesCommand } from '../../../../sensors/commands/list-devices-command.js';
import { parseSeatMap } from '../../../../sensors/hid/seat-map.js';
import { fixture } from '../fixture.js';
import { FakeHidBackend } from '../hid/fake-hid-backend.js';

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
});
