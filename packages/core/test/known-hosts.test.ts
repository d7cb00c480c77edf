import { createRequest, refuseUnknownHosts, respond } from '@parley/core';
import { describe, expect, it } from 'vitest';

const handler = refuseUnknownHosts({ allowedHosts: ['Files.Example.com'] })(async () =>
  respond('ok', 'served'),
);

async function statusFor(host: string | undefined): Promise<string> {
  const headers = host === undefined ? undefined : { host };
  return (await handler(createRequest({ method: 'GET', path: '/a.txt', headers }))).status;
}

describe('refuseUnknownHosts', () => {
  it('passes IP addresses, localhost, allowed names and requests without a Host field', async () => {
    for (const host of [
      '127.0.0.1:8080',
      '10.1.2.3',
      '[::1]:80',
      'localhost',
      'app.localhost:3000',
      'files.example.com:8443',
      undefined,
    ])
      expect({ host, status: await statusFor(host) }).toEqual({ host, status: 'ok' });
  });

  it('refuses other names with forbidden, as a rebound page would send them', async () => {
    for (const host of [
      'evil.example',
      'evil.example:8080',
      '127.0.0.1.evil.example',
      'localhost.evil.example',
      '[::1',
    ])
      expect({ host, status: await statusFor(host) }).toEqual({ host, status: 'forbidden' });
  });
});
