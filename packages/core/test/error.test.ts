import { abortError, ParleyError } from '@parley/core';
import { describe, expect, it } from 'vitest';

const withCode = (code: string) => Object.assign(new Error(`failed with ${code}`), { code });

describe('ParleyError.from', () => {
  it('keeps ParleyErrors and maps aborts, network and TLS failures', () => {
    const own = new ParleyError('conflict', 'taken');
    expect(ParleyError.from(own)).toBe(own);
    expect(ParleyError.from(new DOMException('late', 'TimeoutError')).status).toBe('timeout');
    expect(ParleyError.from(new DOMException('stop', 'AbortError')).status).toBe('cancelled');
    expect(ParleyError.from(withCode('ECONNREFUSED'))).toMatchObject({
      status: 'unavailable',
      retryable: true,
    });
    expect(ParleyError.from(withCode('DEPTH_ZERO_SELF_SIGNED_CERT'))).toMatchObject({
      status: 'unavailable',
      retryable: false,
    });
    expect(ParleyError.from(Object.assign(new Error('x'), { status: 'not_found' })).status).toBe('not_found');
    expect(ParleyError.from('a string')).toMatchObject({ status: 'internal', message: 'a string' });
  });
});

describe('abortError', () => {
  it('uses a ParleyError reason, maps timeouts, and calls the rest cancelled', () => {
    const controller = new AbortController();
    controller.abort(new ParleyError('timeout', 'No answer within 5 ms'));
    expect(abortError(controller.signal).message).toBe('No answer within 5 ms');
    const timedOut = new AbortController();
    timedOut.abort(new DOMException('late', 'TimeoutError'));
    expect(abortError(timedOut.signal)).toMatchObject({ status: 'timeout', retryable: false });
    expect(abortError(AbortSignal.abort()).status).toBe('cancelled');
  });
});
