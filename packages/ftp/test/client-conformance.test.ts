import { describeConformance } from '@parley/core/conformance';
import { ftp } from '@parley/ftp';

describeConformance({
  name: 'ftp',
  server: () => ftp('ftp://127.0.0.1:0'),
  limitedServer: (maxBodyBytes) => ftp('ftp://127.0.0.1:0', { server: { maxBodyBytes } }),
  client: (url, credentials) => {
    const target = new URL(url);
    if (credentials) {
      target.username = encodeURIComponent(credentials.username);
      target.password = encodeURIComponent(credentials.password);
    }
    return ftp(target.href);
  },
});
