import { describeConformance } from '@parley/core/conformance';
import { ws } from '@parley/ws';

function withCredentials(url: string, credentials?: { username: string; password: string }): string {
  if (credentials === undefined) return url;
  const target = new URL(url);
  target.username = encodeURIComponent(credentials.username);
  target.password = encodeURIComponent(credentials.password);
  return target.href;
}

describeConformance({
  name: 'ws',
  server: () => ws('ws://127.0.0.1:0/parley'),
  client: (url, credentials) => ws(withCredentials(url, credentials)),
  largeBodyBytes: 12 * 1024 * 1024,
});
