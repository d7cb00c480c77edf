import { describeConformance, urlWithCredentials } from '@parley/core/conformance';
import { ftp } from '@parley/ftp';

describeConformance({
  name: 'ftp',
  server: () => ftp('ftp://127.0.0.1:0'),
  limitedServer: (maxBodyBytes) => ftp('ftp://127.0.0.1:0', { server: { maxBodyBytes } }),
  client: (url, credentials) => ftp(urlWithCredentials(url, credentials)),
});
