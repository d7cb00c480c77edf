import { createRequest, createRouter, respond } from '@parley/core';
import { describe, expect, it } from 'vitest';

const router = createRouter()
  .get('/notes/:name', async (req) => respond('ok', `note ${req.params.name}`, { 'x-kind': 'note' }))
  .put('/notes/:name', async () => respond('created'))
  .list('/notes/', async () => respond('ok', '[]'));

const call = (method: 'GET' | 'HEAD' | 'PUT' | 'DELETE' | 'LIST', path: string) =>
  router.handle(createRequest({ method, path }));

describe('Router', () => {
  it('routes by method and pattern with parameters', async () => {
    const response = await call('GET', '/notes/a.txt');
    expect(response.status).toBe('ok');
    expect(await response.body.text()).toBe('note a.txt');
    expect((await call('LIST', '/notes/')).status).toBe('ok');
  });

  it('answers not_found for unknown paths and method_not_allowed with allow for known ones', async () => {
    expect((await call('GET', '/elsewhere')).status).toBe('not_found');
    const refused = await call('DELETE', '/notes/a.txt');
    expect(refused.status).toBe('method_not_allowed');
    expect(refused.headers.get('allow')).toBe('GET, PUT');
  });

  it('runs GET for HEAD without a body, keeping headers and the length', async () => {
    const response = await call('HEAD', '/notes/abc');
    expect(response.status).toBe('ok');
    expect(response.headers.get('x-kind')).toBe('note');
    expect(response.headers.get('content-length')).toBe('8');
    expect((await response.body.bytes()).byteLength).toBe(0);
  });

  it('tells transports whether a route exists', () => {
    expect(router.allows('PUT', '/notes/x')).toBe('ok');
    expect(router.allows('POST', '/notes/x')).toBe('method_not_allowed');
    expect(router.allows('POST', '/mail')).toBe('not_found');
  });
});
