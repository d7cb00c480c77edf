import { describeConformance, urlWithCredentials } from '@parley/core/conformance';
import { http } from '@parley/http';

describeConformance({
  name: 'http',
  server: () => http('http://127.0.0.1:0'),
  limitedServer: (maxBodyBytes) => http('http://127.0.0.1:0', { maxBodyBytes }),
  client: (url, credentials) => http(urlWithCredentials(url, credentials)),
});
