import { describeConformance, urlWithCredentials } from '@parley/core/conformance';
import { mqtt, startBroker } from '@parley/mqtt';
import { afterAll, describe, it } from 'vitest';
import { type Mosquitto, requireMosquitto, startMosquitto } from '../../../test/support/mosquitto.js';

let next = 0;

const aedes = await startBroker({ port: 0 });
afterAll(() => aedes.close());

describeConformance({
  name: 'mqtt over aedes (MQTT 3.1.1, envelope)',
  server: () => mqtt(`${aedes.url}/conformance-${++next}`),
  client: (url, credentials) => mqtt(urlWithCredentials(url, credentials)),
  acceptsConnections: false,
});

const mosquitto: Mosquitto | undefined = requireMosquitto() ? await startMosquitto() : undefined;
afterAll(() => mosquitto?.stop());

if (mosquitto !== undefined) {
  describeConformance({
    name: 'mqtt over mosquitto (MQTT 5, properties)',
    server: () => mqtt(`${mosquitto.url}/conformance-${++next}`),
    client: (url, credentials) => mqtt(urlWithCredentials(url, credentials)),
    acceptsConnections: false,
    // An external broker authenticates CONNECT itself (security.test.ts covers it with mosquitto).
    auth: false,
  });
} else {
  describe.skip('conformance: mqtt over mosquitto (mosquitto is not installed)', () => {
    it('needs mosquitto', () => {});
  });
}
