import { startBroker } from '@parley/mqtt';
import { describe, expect, it } from 'vitest';
import { withholdPubrel } from './withhold-pubrel.js';

const MiB = 1024 * 1024;

describe('QoS 2 messages never released, by many clients of the embedded broker', () => {
  it('are held up to maxUnreleasedBytes in all: the client going over is closed, and room comes back when one goes', async () => {
    const broker = await startBroker({ port: 0, maxUnreleasedBytes: 8 * MiB });
    try {
      const port = Number(new URL(broker.url).port);
      const first = await withholdPubrel(port, 'first', 5, MiB);
      expect(first).toMatchObject({ pubrecs: 5, closed: false });
      const second = await withholdPubrel(port, 'second', 5, MiB);
      expect(second.closed).toBe(true);
      expect(second.pubrecs).toBeLessThanOrEqual(3);
      first.close();
      // Once the broker has seen the first client go, what it held is free again (asked until it has).
      let third = await withholdPubrel(port, 'third', 5, MiB);
      for (let attempt = 0; third.closed && attempt < 50; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        third = await withholdPubrel(port, 'third', 5, MiB);
      }
      expect(third).toMatchObject({ pubrecs: 5, closed: false });
      third.close();
    } finally {
      await broker.close();
    }
  }, 60_000);
});
