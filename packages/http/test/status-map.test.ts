import { STATUSES } from '@parley/core';
import { HTTP_CONTRACT, HTTP_STATUS_CODES, httpStatus, statusFromHttp } from '@parley/http';
import { describe, expect, it } from 'vitest';

describe('status map', () => {
  it('maps the common statuses to their HTTP codes', () => {
    expect(httpStatus('ok')).toBe(200);
    expect(httpStatus('created')).toBe(201);
    expect(httpStatus('accepted')).toBe(202);
    expect(httpStatus('no_content')).toBe(204);
    expect(httpStatus('bad_request')).toBe(400);
    expect(httpStatus('unauthenticated')).toBe(401);
    expect(httpStatus('forbidden')).toBe(403);
    expect(httpStatus('not_found')).toBe(404);
    expect(httpStatus('method_not_allowed')).toBe(405);
    expect(httpStatus('timeout')).toBe(408);
    expect(httpStatus('conflict')).toBe(409);
    expect(httpStatus('precondition_failed')).toBe(412);
    expect(httpStatus('too_large')).toBe(413);
    expect(httpStatus('too_many_requests')).toBe(429);
    expect(httpStatus('cancelled')).toBe(499);
    expect(httpStatus('internal')).toBe(500);
    expect(httpStatus('not_implemented')).toBe(501);
    expect(httpStatus('unavailable')).toBe(503);
  });

  it('maps every status sent on the wire back to itself', () => {
    for (const status of STATUSES) {
      if (status === 'unsupported') continue;
      expect(statusFromHttp(HTTP_STATUS_CODES[status]), status).toBe(status);
    }
    expect(HTTP_CONTRACT.statuses).toEqual(STATUSES.filter((status) => status !== 'unsupported'));
  });

  it('maps other codes by class', () => {
    expect(statusFromHttp(206)).toBe('ok');
    expect(statusFromHttp(299)).toBe('ok');
    expect(statusFromHttp(304)).toBe('ok');
    expect(statusFromHttp(301)).toBe('unsupported');
    expect(statusFromHttp(399)).toBe('unsupported');
    expect(statusFromHttp(410)).toBe('not_found');
    expect(statusFromHttp(412)).toBe('precondition_failed');
    expect(statusFromHttp(418)).toBe('bad_request');
    expect(statusFromHttp(422)).toBe('bad_request');
    expect(statusFromHttp(431)).toBe('too_large');
    expect(statusFromHttp(502)).toBe('unavailable');
    expect(statusFromHttp(504)).toBe('timeout');
    expect(statusFromHttp(507)).toBe('insufficient_storage');
    expect(statusFromHttp(508)).toBe('internal');
    expect(statusFromHttp(600)).toBe('internal');
  });
});
