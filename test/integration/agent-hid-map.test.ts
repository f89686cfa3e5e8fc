/**
 * `frisson agent --map seats.yaml` path in-process: recorded vendor-seat reports go through the
 * real HidDeviceSource, SensorAgent and seat namespace; unplugging the controller reaches the hub
 * as "no contact" for each of its seats.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { agentCommand } from '../../tools/commands/agent-command.js';
import { parseSeatMap } from '../../sensors/hid/seat-map.js';
import type { SeatSample } from '../../contracts/wire.js';
import { attachSeatNamespace } from '../../server/hub/seat-namespace.js';
import { FakeHidBackend } from '../unit/sensors/hid/fake-hid-backend.js';

const until = async (cond: () => boolean, what: string, ms = 15_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('frisson agent with a seat map', () => {
  it('should forward mapped HID seats and report a vanished controller as no contact', async () => {
    const http = createServer();
    const io = new Server(http);
    const received: SeatSample[] = [];
    const cursors = new Map<string, number>();
    attachSeatNamespace(io, {
      store: {
        getAgentCursor: (id) => Promise.resolve(cursors.get(id) ?? 0),
        setAgentCursor: (id, seq) => Promise.resolve(void cursors.set(id, seq)),
      },
      authorize: (t) => t === 'venue',
      onSamples: (s) => void received.push(...s),
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

    const map = parseSeatMap(
      readFileSync(
        new URL('../fixtures/sensors/seat-maps/two-seats.yaml', import.meta.url),
        'utf8',
      ),
    );
    assert.ok(map.success);
    const backend = new FakeHidBackend();
    const info = { path: '/dev/hidraw5', vendorId: 0x1209, productId: 0xc0de, usagePage: 0xff00 };
    backend.plug(info);
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((r) => (stop = r));
    let out = '';
    const done = agentCommand(
      { hub: url, token: 'venue', agentId: 'map-agent', seatMap: map.data, statusMs: 100, backend },
      { out: (s) => (out += s), err: (s) => (out += s) },
      stopped,
    );
    try {
      await until(() => backend.opened.has(info.path), 'device opened');
      backend.opened.get(info.path)!.report(Uint8Array.of(3, 72, 82, 0x03, 0xa0, 0xc8, 0x00));
      await until(() => received.length >= 2, 'seat samples');
      assert.deepEqual(
        received.slice(0, 2).map((s) => [s.seat, s.bpm, s.rr, s.eda]),
        [
          ['A1', 72, [928], 2],
          ['A2', 82, undefined, undefined],
        ],
      );
      backend.unplug(info.path);
      await until(
        () => received.filter((s) => s.contact === false).length === 2,
        'no-contact samples',
      );
      assert.deepEqual(
        received
          .filter((s) => s.contact === false)
          .map((s) => s.seat)
          .sort(),
        ['A1', 'A2'],
      );
    } finally {
      stop();
      assert.equal(await done, 0, out);
      await io.close();
    }
    assert.match(out, /"event":"final"/);
  });
});
