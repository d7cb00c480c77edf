import { describeConformance } from '@parley/core/conformance';
import { http } from '@parley/http';

describeConformance({
  name: 'http',
  server: () => http('http://127.0.0.1:0'),
  limitedServer: (maxBodyBytes) => http('http://127.0.0.1:0', { maxBodyBytes }),
  client: (url, credentials) => {
    const target = new URL(url);
    if (credentials) {
      target.username = encodeURIComponent(credentials.username);
      target.password = encodeURIComponent(credentials.password);
    }
    return http(target.href);
  },
});
