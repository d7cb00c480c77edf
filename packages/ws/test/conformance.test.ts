import { describeConformance, urlWithCredentials } from '@parley/core/conformance';
import { ws } from '@parley/ws';

describeConformance({
  name: 'ws',
  server: () => ws('ws://127.0.0.1:0/parley'),
  client: (url, credentials) => ws(urlWithCredentials(url, credentials)),
  largeBodyBytes: 12 * 1024 * 1024,
});
