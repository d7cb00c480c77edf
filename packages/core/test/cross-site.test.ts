import {
  createRequest,
  type Method,
  type RefuseCrossSiteOptions,
  refuseCrossSite,
  respond,
} from '@parley/core';
import { describe, expect, it } from 'vitest';

/** The status a handler behind `refuseCrossSite(options)` answers a request with these header fields. */
async function statusOf(
  method: Method,
  headers: Record<string, string>,
  options?: RefuseCrossSiteOptions,
): Promise<string> {
  const handler = refuseCrossSite(options)(async () => respond('ok'));
  const response = await handler(createRequest({ method, path: '/notes/a', headers }));
  return response.status;
}

describe('refuseCrossSite', () => {
  it('refuses unsafe requests a browser marks cross-site, and same-site unless allowed', async () => {
    expect(await statusOf('POST', { 'sec-fetch-site': 'cross-site' })).toBe('forbidden');
    expect(await statusOf('DELETE', { 'sec-fetch-site': 'same-site' })).toBe('forbidden');
    expect(await statusOf('DELETE', { 'sec-fetch-site': 'same-site' }, { allowSameSite: true })).toBe('ok');
    expect(await statusOf('PUT', { 'sec-fetch-site': 'same-origin', origin: 'https://a.example' })).toBe(
      'ok',
    );
    expect(await statusOf('PUT', { 'sec-fetch-site': 'none' })).toBe('ok');
  });

  it('without Sec-Fetch-Site, compares Origin with Host (default ports included)', async () => {
    expect(await statusOf('PUT', { origin: 'http://evil.example', host: 'notes.example' })).toBe('forbidden');
    expect(await statusOf('PUT', { origin: 'null', host: 'notes.example' })).toBe('forbidden');
    expect(await statusOf('PUT', { origin: 'http://notes.example' })).toBe('forbidden');
    expect(await statusOf('PUT', { origin: 'http://notes.example', host: 'notes.example:80' })).toBe('ok');
    expect(await statusOf('PUT', { origin: 'https://notes.example:8443', host: 'Notes.Example:8443' })).toBe(
      'ok',
    );
    expect(await statusOf('PUT', { origin: 'http://notes.example:8080', host: 'notes.example' })).toBe(
      'forbidden',
    );
  });

  it('lets allowed origins, safe methods and non-browser clients pass', async () => {
    const allowedOrigins = ['https://app.example'];
    expect(
      await statusOf(
        'POST',
        { origin: 'https://app.example', 'sec-fetch-site': 'cross-site' },
        { allowedOrigins },
      ),
    ).toBe('ok');
    expect(
      await statusOf('POST', { origin: 'https://app.example', host: 'api.example' }, { allowedOrigins }),
    ).toBe('ok');
    for (const method of ['GET', 'HEAD', 'LIST'] as const) {
      expect(await statusOf(method, { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' })).toBe(
        'ok',
      );
    }
    expect(await statusOf('POST', {})).toBe('ok');
    expect(await statusOf('POST', { host: 'notes.example' })).toBe('ok');
  });
});
