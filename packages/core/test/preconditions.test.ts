import { describe, expect, it } from 'vitest';
import { failedPrecondition, failedReadPrecondition, HeaderMap } from '../src/index.js';

const current = { etag: '"5f-1a"', lastModified: new Date('2026-01-02T03:04:05.678Z') };
const fields = (record: Record<string, string>) => new HeaderMap(record);

describe('failedPrecondition', () => {
  it('lets a request without conditions through, whether or not the resource exists', () => {
    expect(failedPrecondition(fields({}), current)).toBeUndefined();
    expect(failedPrecondition(fields({}), undefined)).toBeUndefined();
  });

  it('If-Match: the version named (strong comparison), or * for any existing one', () => {
    expect(failedPrecondition(fields({ 'if-match': '"5f-1a"' }), current)).toBeUndefined();
    expect(failedPrecondition(fields({ 'if-match': '"x", "5f-1a"' }), current)).toBeUndefined();
    expect(failedPrecondition(fields({ 'if-match': '*' }), current)).toBeUndefined();
    expect(failedPrecondition(fields({ 'if-match': '"old"' }), current)).toMatch(/changed/);
    expect(failedPrecondition(fields({ 'if-match': 'W/"5f-1a"' }), current)).toMatch(/changed/);
    expect(failedPrecondition(fields({ 'if-match': '*' }), undefined)).toMatch(/does not exist/);
    expect(failedPrecondition(fields({ 'if-match': '"5f-1a"' }), undefined)).toMatch(/does not exist/);
  });

  it('If-None-Match: * creates only; a tag excludes that version (weak comparison)', () => {
    expect(failedPrecondition(fields({ 'if-none-match': '*' }), current)).toMatch(/exists already/);
    expect(failedPrecondition(fields({ 'if-none-match': '*' }), undefined)).toBeUndefined();
    expect(failedPrecondition(fields({ 'if-none-match': 'W/"5f-1a"' }), current)).toMatch(/excludes/);
    expect(failedPrecondition(fields({ 'if-none-match': '"other"' }), current)).toBeUndefined();
  });

  it('If-Unmodified-Since, in whole seconds, and only without If-Match', () => {
    const same = current.lastModified.toUTCString();
    expect(failedPrecondition(fields({ 'if-unmodified-since': same }), current)).toBeUndefined();
    const before = new Date('2026-01-01T00:00:00Z').toUTCString();
    expect(failedPrecondition(fields({ 'if-unmodified-since': before }), current)).toMatch(/changed after/);
    expect(
      failedPrecondition(fields({ 'if-unmodified-since': before, 'if-match': '"5f-1a"' }), current),
    ).toBeUndefined();
    expect(failedPrecondition(fields({ 'if-unmodified-since': 'not a date' }), current)).toBeUndefined();
    expect(failedPrecondition(fields({ 'if-unmodified-since': before }), undefined)).toBeUndefined();
  });

  it('reads a comma inside a quoted tag as part of it', () => {
    const odd = { ...current, etag: '"a,b"' };
    expect(failedPrecondition(fields({ 'if-match': '"a,b"' }), odd)).toBeUndefined();
    expect(failedPrecondition(fields({ 'if-match': '"a", "b"' }), odd)).toMatch(/changed/);
  });
});

describe('failedReadPrecondition', () => {
  it('refuses a read of another version than If-Match names, or of one changed since If-Unmodified-Since', () => {
    expect(failedReadPrecondition(fields({ 'if-match': '"5f-1a"' }), current)).toBeUndefined();
    expect(failedReadPrecondition(fields({ 'if-match': '*' }), current)).toBeUndefined();
    expect(failedReadPrecondition(fields({ 'if-match': '"old"' }), current)).toMatch(/changed/);
    const before = new Date('2026-01-01T00:00:00Z').toUTCString();
    expect(failedReadPrecondition(fields({ 'if-unmodified-since': before }), current)).toMatch(
      /changed after/,
    );
  });

  it('leaves If-None-Match to the 304 the contract does not carry: the resource is sent', () => {
    expect(failedReadPrecondition(fields({ 'if-none-match': '*' }), current)).toBeUndefined();
    expect(failedReadPrecondition(fields({ 'if-none-match': '"5f-1a"' }), current)).toBeUndefined();
    expect(failedPrecondition(fields({ 'if-none-match': '"5f-1a"' }), current)).toMatch(/excludes/);
  });
});
