import { memory } from '@parley/core';
import { describeConformance, urlWithCredentials } from '@parley/core/conformance';

let next = 0;

describeConformance({
  name: 'memory',
  server: () => memory(`memory://conformance-${++next}`),
  client: (url, credentials) => memory(urlWithCredentials(url, credentials)),
});
