import { type Credentials, createClient, respond } from '@parley/core';
import { parseAuthorization } from '@parley/core/transport';
import { http } from '@parley/http';
import { describe, expect, it } from 'vitest';
import { serve } from './helpers.js';

describe('auth', () => {
  it('parses Basic and Bearer, and nothing else', () => {
    const basic = `Basic ${Buffer.from('bob:pa:ss').toString('base64')}`;
    expect(parseAuthorization(basic)).toEqual({ kind: 'password', username: 'bob', password: 'pa:ss' });
    expect(parseAuthorization('bearer abc.def')).toEqual({ kind: 'token', token: 'abc.def' });
    expect(parseAuthorization('Digest x=1')).toBeUndefined();
    expect(parseAuthorization(`Basic ${Buffer.from('nocolon').toString('base64')}`)).toBeUndefined();
    expect(parseAuthorization('Bearer')).toBeUndefined();
    expect(parseAuthorization(undefined)).toBeUndefined();
  });

  it('carries a Bearer token to the authenticate hook', async () => {
    const seen: Credentials[] = [];
    const { server, url } = await serve(
      async (request) => respond('ok', request.peer.principal?.name ?? 'anonymous'),
      {},
      {
        authenticate: (credentials) => {
          seen.push(credentials);
          return credentials.kind === 'token' && credentials.token === 't-1' ? { name: 'service' } : null;
        },
      },
    );
    try {
      await using good = createClient(http(url, { token: 't-1' }));
      expect(await (await good.get('/me')).body.text()).toBe('service');
      await using bad = createClient(http(url, { token: 't-2' }));
      const refused = await bad.get('/me');
      expect(refused.status).toBe('unauthenticated');
      expect(refused.headers.get('www-authenticate')).toBe('Basic realm="parley"');
      expect(seen).toEqual([
        { kind: 'token', token: 't-1' },
        { kind: 'token', token: 't-2' },
      ]);
    } finally {
      await server.close({ timeoutMs: 500 });
    }
  });
});
