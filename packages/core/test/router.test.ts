import {
  createRequest,
  createRouter,
  type Method,
  moveDestination,
  type ParamNames,
  respond,
  respondJson,
} from '@parley/core';
import { describe, expect, expectTypeOf, it } from 'vitest';

const router = createRouter()
  .get('/notes/:name', async (req) => respond('ok', `note ${req.params.name}`, { 'x-kind': 'note' }))
  .put('/notes/:name', async () => respond('created'))
  .list('/notes/', async () => respond('ok', '[]'))
  .move('/notes/:name', async (req) => respond('ok', `${req.params.name} -> ${moveDestination(req)}`));

const call = (method: Method, path: string) => router.handle(createRequest({ method, path }));

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
    expect(refused.headers.get('allow')).toBe('GET, PUT, MOVE');
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
    expect(router.allows('MOVE', '/notes/x')).toBe('ok');
    expect(router.allows('MOVE', '/notes/')).toBe('method_not_allowed');
  });

  it('routes MOVE with its normalised destination, and refuses one without', async () => {
    const moved = await router.handle(
      createRequest({ method: 'MOVE', path: '/notes/a.txt', headers: { destination: '/notes/./b.txt' } }),
    );
    expect(await moved.body.text()).toBe('a.txt -> /notes/b.txt');
    for (const destination of [undefined, 'b.txt', '/notes/b\u202Etxt']) {
      const request = createRequest({
        method: 'MOVE',
        path: '/notes/a.txt',
        headers: destination === undefined ? {} : { destination },
      });
      await expect(router.handle(request)).rejects.toMatchObject({ status: 'bad_request' });
    }
  });
});

describe('typed route parameters', () => {
  it('types each :name of the pattern, and a final *, as a string', async () => {
    expectTypeOf<ParamNames<'/notes/:name'>>().toEqualTypeOf<'name'>();
    expectTypeOf<ParamNames<'/a/:x/b/:y/'>>().toEqualTypeOf<'x' | 'y'>();
    expectTypeOf<ParamNames<'/files/:root/*'>>().toEqualTypeOf<'root' | '*'>();
    expectTypeOf<ParamNames<'notes/:name'>>().toEqualTypeOf<'name'>();
    expectTypeOf<ParamNames<'/a/*/b'>>().toEqualTypeOf<never>();
    expectTypeOf<ParamNames<'/notes/'>>().toEqualTypeOf<never>();
    const seen: string[] = [];
    const typed = createRouter()
      .get('/notes/:folder/:name', async (request) => {
        expectTypeOf(request.params.name).toEqualTypeOf<string>();
        expectTypeOf(request.params.folder).toEqualTypeOf<string>();
        seen.push(`${request.params.folder}/${request.params.name}`);
        return respond('ok');
      })
      .route('PUT', '/files/*', async (request) => {
        expectTypeOf(request.params['*']).toEqualTypeOf<string>();
        seen.push(request.params['*']);
        return respond('ok');
      });
    await typed.handle(createRequest({ method: 'GET', path: '/notes/work/a.txt' }));
    await typed.handle(createRequest({ method: 'PUT', path: '/files/x/y.txt' }));
    expect(seen).toEqual(['work/a.txt', 'x/y.txt']);
  });

  it('keeps params loose for patterns that are not literals', () => {
    const pattern: string = '/notes/:name';
    createRouter().get(pattern, async (request) => {
      expectTypeOf(request.params.name).toEqualTypeOf<string | undefined>();
      return respond('ok');
    });
  });
});

describe('respondJson', () => {
  it('takes the status first, as respond does, and sets a JSON content-type unless given', async () => {
    const created = respondJson('created', { name: 'a.txt' }, { location: '/notes/a.txt' });
    expect(created.status).toBe('created');
    expect(created.headers.get('content-type')).toBe('application/json');
    expect(created.headers.get('location')).toBe('/notes/a.txt');
    expect(await created.body.json()).toEqual({ name: 'a.txt' });
    const typed = respondJson('ok', [1], { 'content-type': 'application/problem+json' });
    expect(typed.headers.get('content-type')).toBe('application/problem+json');
  });
});
