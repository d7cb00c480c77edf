import { memory } from '@parley/core';
import { describeConformance } from '@parley/core/conformance';

let next = 0;

describeConformance({
  name: 'memory',
  server: () => memory(`memory://conformance-${++next}`),
  client: (url, credentials) => {
    const target = new URL(url);
    if (credentials) {
      target.username = credentials.username;
      target.password = credentials.password;
    }
    return memory(target.href);
  },
});
