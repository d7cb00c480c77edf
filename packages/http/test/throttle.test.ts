import { type Authenticate, respond } from '@parley/core';
import { throttledError } from '@parley/core/transport';
import { describe, expect, it } from 'vitest';
import { curl, curlFull, requireCurl } from './curl.js';
import { serveEach } from './helpers.js';

const start = serveEach();
const available = requireCurl();

describe.skipIf(!available)('credential guessing over HTTP', () => {
  it('answers a throttled login 429 with Retry-After in whole seconds', async () => {
    const authenticate: Authenticate = () => {
      throw throttledError(4200);
    };
    const { url } = await start(async () => respond('ok'), {}, { authenticate });
    const result = await curlFull(['-i', '-u', 'alice:guess', `${url}notes/a`]);
    expect(result.code).toBe(429);
    expect(result.body).toMatch(/^retry-after: 5\r$/im);
  });

  it('after the free failures, answers 429 on the same keep-alive connection without calling the hook', async () => {
    const addresses: (string | undefined)[] = [];
    const authenticate: Authenticate = (credentials, peer) => {
      addresses.push(peer.address);
      return credentials.kind === 'password' && credentials.password === 'right' ? { name: 'alice' } : null;
    };
    const { url } = await start(
      async () => respond('ok'),
      {},
      { authenticate, authThrottle: { freeFailures: 2, baseDelayMs: 60_000 } },
    );
    const attempts = 6;
    const args = ['-u', 'alice:wrong', '-w', '%{http_code} %{num_connects} %header{retry-after}\n'];
    for (let i = 0; i < attempts; i++) args.push('-o', '/dev/null', `${url}notes/a`);
    const { body } = await curl(args);
    const lines = body.trim().split('\n');
    expect(lines).toEqual([
      '401 1 ',
      '401 0 ',
      '401 0 ', // the third failure makes the address wait
      ...Array.from({ length: attempts - 3 }, () => expect.stringMatching(/^429 0 (59|60)$/)),
    ]);
    expect(addresses).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1']);
  });
});
