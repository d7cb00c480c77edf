import { describe, expect, it } from 'vitest';
import { CLIENT_BUDGET_BYTES, measureBundles } from '../scripts/bundle-sizes.js';

describe('browser bundle sizes', () => {
  it('core + HTTP and core + WebSocket clients stay within 20 KiB gzipped', async () => {
    const sizes = await measureBundles();
    for (const name of ['core + http', 'core + ws']) {
      expect(sizes[name]?.gzipped, name).toBeGreaterThan(1024);
      expect(sizes[name]?.gzipped, name).toBeLessThanOrEqual(CLIENT_BUDGET_BYTES);
    }
    // MQTT.js's browser build is most of it; Parley adds its client on top.
    expect(sizes['core + mqtt']?.gzipped).toBeGreaterThan(0);
  });
});
