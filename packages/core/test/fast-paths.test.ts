/**
 * The fast paths of the core: requests with a signal made on first read, read-only queries,
 * header maps read lazily from a flat list, string bodies, and a router and server dispatch
 * without extra promise layers.
 */
import {
  Body,
  createRequest,
  createRouter,
  createServer,
  HeaderMap,
  type Request,
  respond,
  withRequest,
} from '@parley/core';
import { describe, expect, it } from 'vitest';
import { contextOf } from './listen-context.js';

describe('createRequest with a signal made on first read', () => {
  it('makes it once, only when read, and copies share it (spread included)', () => {
    let made = 0;
    const controller = new AbortController();
    const request = createRequest({
      method: 'GET',
      path: '/a',
      signal: () => {
        made++;
        return controller.signal;
      },
    });
    const copy = withRequest(request, { params: { name: 'a' } });
    expect(made).toBe(0);
    expect(Object.keys(request)).toEqual(Object.keys(createRequest({ method: 'GET', path: '/a' })));
    expect(copy.signal).toBe(controller.signal);
    expect(request.signal).toBe(controller.signal);
    expect({ ...request }.signal).toBe(controller.signal);
    expect(made).toBe(1);
    expect(Object.isFrozen(request)).toBe(true);
    expect(copy.params).toEqual({ name: 'a' });
  });

  it('withRequest replaces fields, keeps the others, and can set a signal or clear the deadline', () => {
    const signal = new AbortController().signal;
    const request = createRequest({ method: 'PUT', path: '/a?x=1', deadline: 5, body: 'hi' });
    const copy = withRequest(request, { method: 'GET', signal, deadline: undefined });
    expect(copy.method).toBe('GET');
    expect(copy.signal).toBe(signal);
    expect(copy.deadline).toBeUndefined();
    expect(copy.body).toBe(request.body);
    expect(copy.query.get('x')).toBe('1');
    expect(Object.isFrozen(copy)).toBe(true);
  });
});

describe('request queries', () => {
  it('are read-only, whether empty or not', () => {
    const empty = createRequest({ method: 'GET', path: '/a' }).query;
    const full = createRequest({ method: 'GET', path: '/a?x=1&y=2' }).query;
    expect(empty.size).toBe(0);
    expect(full.get('y')).toBe('2');
    for (const query of [empty, full]) {
      expect(() => query.set('x', '2')).toThrow(TypeError);
      expect(() => query.append('x', '2')).toThrow(TypeError);
      expect(() => query.delete('x')).toThrow(TypeError);
      expect(() => query.sort()).toThrow(TypeError);
    }
    const copy = new URLSearchParams(full);
    copy.set('x', '3');
    expect(copy.toString()).toBe('x=3&y=2');
  });

  it('can be given apart from a path that holds a ?', () => {
    const request = createRequest({ method: 'GET', path: '/what?.txt', query: 'a=1' });
    expect(request.path).toBe('/what?.txt');
    expect(request.query.get('a')).toBe('1');
  });
});

describe('HeaderMap.fromFlat', () => {
  it('reads a name, value list case-insensitively, joining repeated fields, on first use', () => {
    const list = ['Host', 'x', 'Accept', 'a', 'accept', 'b'];
    const headers = HeaderMap.fromFlat(list);
    expect(headers.get('ACCEPT')).toBe('a, b');
    expect(headers.size).toBe(2);
    headers.set('X-New', '1');
    expect(headers.toObject()).toEqual({ host: 'x', accept: 'a, b', 'x-new': '1' });
    const seen: string[] = [];
    headers.forEach((value, name) => {
      seen.push(`${name}=${value}`);
    });
    expect(seen).toEqual(['host=x', 'accept=a, b', 'x-new=1']);
    expect(new HeaderMap(HeaderMap.fromFlat([])).size).toBe(0);
  });

  it('keeps a few fields as a list and many as a map, alike to read, copy and write', () => {
    const few = new HeaderMap({
      'Content-Type': 'text/plain',
      'content-type': 'x',
      'X-N': 1,
      skipped: undefined,
    });
    expect(few.get('content-type')).toBe('text/plain, x');
    expect(few.get('x-n')).toBe('1');
    expect(few.has('skipped')).toBe(false);
    expect(few.toFlat()).toEqual(['content-type', 'text/plain, x', 'x-n', '1']);
    const copy = new HeaderMap(few);
    copy.set('x-n', '2');
    expect(few.get('x-n')).toBe('1');
    expect(copy.toFlat()).toEqual(['content-type', 'text/plain, x', 'x-n', '2']);
    const pairs = Array.from({ length: 40 }, (_, i): [string, string] => [`X-${i % 20}`, String(i)]);
    const many = new HeaderMap(pairs);
    expect(many.size).toBe(20);
    expect(many.get('x-3')).toBe('3, 23');
    expect(many.get('x-19')).toBe('19, 39');
    expect([...many][0]).toEqual(['x-0', '0, 20']);
    const flat = HeaderMap.fromFlat(pairs.flat());
    expect(flat.toObject()).toEqual(many.toObject());
    expect(flat.delete('X-0')).toBe(true);
    expect(flat.size).toBe(19);
    expect(new HeaderMap().toFlat()).toEqual([]);
  });

  it('keeps empty maps independent', () => {
    const a = new HeaderMap();
    const b = new HeaderMap();
    a.set('x', '1');
    expect([...b]).toEqual([]);
    expect(b.has('x')).toBe(false);
  });
});

describe('string bodies', () => {
  it('keep their text, with bytes and size as if encoded at once', async () => {
    const body = Body.from('héllo');
    expect(body.bufferedText).toBe('héllo');
    expect(body.size).toBe(6);
    expect(Buffer.from(body.buffered ?? []).toString()).toBe('héllo');
    expect(await body.text()).toBe('héllo');
    expect(Body.from(new Uint8Array([1])).bufferedText).toBeUndefined();
    await expect(Body.from('héllo').text({ limit: 5 })).rejects.toMatchObject({ status: 'too_large' });
    expect(await Body.from('a\uD800b').text()).toBe('a\uFFFDb');
    const bytes = await Body.from('abc').bytes();
    expect(Buffer.from(bytes).toString()).toBe('abc');
  });
});

describe('router and server dispatch', () => {
  it('hands a route without parameters the request itself, and one with parameters a copy', async () => {
    const seen: Request[] = [];
    const router = createRouter()
      .get('/plain', async (request) => {
        seen.push(request);
        return respond('ok');
      })
      .get('/notes/:name', async (request) => {
        seen.push(request);
        return respond('ok', request.params.name);
      });
    const plain = createRequest({ method: 'GET', path: '/plain' });
    await router.handle(plain);
    expect(seen[0]).toBe(plain);
    const named = createRequest({ method: 'GET', path: '/notes/a' });
    expect(await (await router.handle(named)).body.text()).toBe('a');
    expect(seen[1]).not.toBe(named);
    await router.handle(createRequest({ method: 'GET', path: '/plain' }));
    expect(seen[2]?.params).toEqual({});
    expect((await router.handle(createRequest({ method: 'GET', path: '/plain/' }))).status).toBe('not_found');
    const head = await router.handle(createRequest({ method: 'HEAD', path: '/notes/abc' }));
    expect(head.headers.get('content-length')).toBe('3');
    expect(await head.body.text()).toBe('');
  });

  it('turns a handler that throws synchronously into a rejection (router) and an answer (server)', async () => {
    const thrower = (() => {
      throw new Error('boom');
    }) as unknown as () => Promise<never>;
    const router = createRouter().get('/x', thrower);
    await expect(router.handle(createRequest({ method: 'GET', path: '/x' }))).rejects.toThrow('boom');
    const errors: unknown[] = [];
    const server = createServer(router, { onError: (error) => errors.push(error) });
    const context = await contextOf(server);
    const answer = await context.handle(createRequest({ method: 'GET', path: '/x' }));
    expect(answer.status).toBe('internal');
    expect(errors).toHaveLength(1);
    expect(server.inFlight).toBe(0);
  });
});
