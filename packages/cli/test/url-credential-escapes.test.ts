import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BUILD_TIMEOUT_MS, buildParley, parley } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

describe('a URL whose user name or password holds a malformed %-escape ends parley with exit 3, as curl', () => {
  for (const scheme of ['http', 'ftp', 'smtp', 'mqtt', 'ws']) {
    it(`over ${scheme}, without echoing the password`, async () => {
      // Port 1: nothing listens there; the URL is refused before any connection.
      const run = await parley(['-d', 'x', `${scheme}://alice:s3cret%zz@127.0.0.1:1/notes/a.txt`]);
      expect(run.code).toBe(3);
      expect(run.stderr).toBe("parley: Malformed escape in the URL's user name or password\n");
    });
  }
});

describe('a malformed URL holding a password ends parley without echoing the password', () => {
  for (const [url, code] of [
    ['http://alice:s3cret@[::1/notes/a.txt', 3],
    ['http://alice:s3cr@t@[::1/notes/a.txt', 3],
    // Without `//` it is no URL to parley: an unknown command, as the message says.
    ['http:alice:s3cret@127.0.0.1:1/notes/a.txt', 2],
  ] as const) {
    it(url, async () => {
      const run = await parley([url]);
      expect(run.code).toBe(code);
      expect(run.stderr).toContain('alice:****@');
      expect(run.stderr).not.toContain('s3cr');
    });
  }
});
