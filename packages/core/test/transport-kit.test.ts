import { createServer } from 'node:net';
import { ParleyError, STATUSES, type Status } from '@parley/core';
import {
  capturedResolvers,
  captureResolvers,
  credentialsOf,
  DrainTracker,
  formatBasicAuth,
  hostOf,
  listenOn,
  parseAuthorization,
  portOf,
  roundTripStatuses,
} from '@parley/core/transport';
import { describe, expect, it } from 'vitest';

describe('transport kit', () => {
  it('binds to a free port and reports an address in use as conflict', async () => {
    const first = createServer();
    const port = await listenOn(first, new URL('x://127.0.0.1:0'), 21);
    expect(port).toBeGreaterThan(0);
    const second = createServer();
    const failure = await listenOn(second, new URL(`x://127.0.0.1:${port}`), 21).catch((error) => error);
    expect(failure).toBeInstanceOf(ParleyError);
    expect(failure).toMatchObject({ status: 'conflict' });
    expect(String(failure.message)).toMatch(/in use/);
    first.close();
  });

  it('reads hosts, ports and credentials from URLs', () => {
    const url = new URL('ftp://al%40ce:p%3Ass@[::1]:2121/x');
    expect(hostOf(url)).toBe('::1');
    expect(portOf(url, 21)).toBe(2121);
    expect(portOf(new URL('ftp://h/'), 21)).toBe(21);
    expect(credentialsOf(url)).toEqual({ kind: 'password', username: 'al@ce', password: 'p:ss' });
    expect(credentialsOf(new URL('ftp://h/'))).toBeUndefined();
  });

  it('formats and parses Basic credentials in UTF-8, and Bearer tokens', () => {
    const field = formatBasicAuth('zoë', 'pä:ss');
    expect(field).toBe(`Basic ${Buffer.from('zoë:pä:ss').toString('base64')}`);
    expect(parseAuthorization(field)).toEqual({ kind: 'password', username: 'zoë', password: 'pä:ss' });
    expect(parseAuthorization('Bearer abc')).toEqual({ kind: 'token', token: 'abc' });
    expect(parseAuthorization('Basic !!!')).toBeUndefined();
    expect(parseAuthorization('Digest x')).toBeUndefined();
  });

  it('waits for work in flight, or the deadline', async () => {
    const tracker = new DrainTracker();
    const done = tracker.enter();
    let drained = false;
    const waiting = tracker.drained().then(() => {
      drained = true;
    });
    await Promise.resolve();
    expect(drained).toBe(false);
    done();
    done();
    await waiting;
    expect(tracker.inFlight).toBe(0);
    tracker.enter();
    await tracker.drained(AbortSignal.timeout(10));
    expect(tracker.inFlight).toBe(1);
  });

  it('derives the statuses a map carries unchanged', () => {
    const codes = new Map<Status, number>([
      ['ok', 200],
      ['created', 201],
      ['accepted', 200],
    ]);
    const map = {
      toWire: (status: Status) => codes.get(status) ?? 500,
      fromWire: (code: number): Status => (code === 200 ? 'ok' : code === 201 ? 'created' : 'internal'),
    };
    expect(roundTripStatuses(map)).toEqual(['ok', 'created', 'internal']);
    expect(STATUSES).toContain('unsupported');
  });

  it('hands out the resolving functions of a promise through one shared executor', async () => {
    const first = new Promise<string>(captureResolvers);
    const resolveFirst = capturedResolvers.resolve as (value: string) => void;
    const second = new Promise<string>(captureResolvers);
    const rejectSecond = capturedResolvers.reject as (error: ParleyError) => void;
    capturedResolvers.resolve = undefined;
    capturedResolvers.reject = undefined;
    resolveFirst('one');
    rejectSecond(new ParleyError('timeout', 'two'));
    await expect(first).resolves.toBe('one');
    await expect(second).rejects.toMatchObject({ status: 'timeout', message: 'two' });
  });
});
