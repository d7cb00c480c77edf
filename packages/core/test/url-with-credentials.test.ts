import { urlWithCredentials } from '@parley/core/conformance';
import { describe, expect, it } from 'vitest';

describe('urlWithCredentials', () => {
  it('puts a login into a URL, each part percent-encoded, and leaves a URL without one as it is', () => {
    expect(urlWithCredentials('ftp://127.0.0.1:2121/a', { username: 'alice', password: 's3cret' })).toBe(
      'ftp://alice:s3cret@127.0.0.1:2121/a',
    );
    expect(urlWithCredentials('http://127.0.0.1/', { username: 'a@b', password: 'p:%/' })).toBe(
      'http://a%40b:p%3A%25%2F@127.0.0.1/',
    );
    expect(urlWithCredentials('mqtt://127.0.0.1:1883/t')).toBe('mqtt://127.0.0.1:1883/t');
  });
});
