import assert from 'node:assert/strict';
import { FrissonMetrics } from '../../../../server/metrics/frisson-metrics.js';

describe('FrissonMetrics seat sample counter', () => {
  it('should expose every counted seat sample at scrape time, cumulatively', async () => {
    const m = new FrissonMetrics(
      { sessions: () => 0, shows: () => 1, seatsInContact: () => [] },
      { defaultMetrics: false },
    );
    const value = async (result: string): Promise<number> => {
      const { body } = await m.render();
      const line = body
        .split('\n')
        .find((l) => l.startsWith(`frisson_seat_samples_total{result="${result}"}`));
      return Number(line?.split(' ')[1] ?? 0);
    };
    m.seatBatch(3, 1);
    m.seatBatch(2, 0);
    assert.equal(await value('accepted'), 5);
    assert.equal(await value('rejected'), 1);
    m.seatBatch(4, 2);
    assert.equal(await value('accepted'), 9);
    assert.equal(await value('rejected'), 3);
  });
});
