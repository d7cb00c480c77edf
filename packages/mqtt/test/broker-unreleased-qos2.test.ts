import { startBroker } from '@parley/mqtt';
import { describe, expect, it } from 'vitest';
import { withholdPubrel } from './withhold-pubrel.js';

const MiB = 1024 * 1024;

describe('QoS 2 messages never released (no PUBREL), on the embedded broker', () => {
  it('are held up to 64 MiB per connection, which is then closed', async () => {
    const broker = await startBroker({ port: 0 });
    try {
      const port = Number(new URL(broker.url).port);
      const outcome = await withholdPubrel(port, 'qos2', 100, MiB);
      expect(outcome.closed).toBe(true);
      expect(outcome.pubrecs).toBeLessThanOrEqual(64);
      // A client within the bound is served as before.
      const within = await withholdPubrel(port, 'qos2', 10, MiB);
      expect(within).toMatchObject({ pubrecs: 10, closed: false });
      within.close();
    } finally {
      await broker.close();
    }
  }, 60_000);
});
