import { writeFile } from 'node:fs/promises';
import { createServer as createNodeServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createClient, ParleyError } from '@parley/core';
import { http } from '@parley/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Nginx, requireNginx, startNginx } from '../../../test/support/nginx.js';

/** A plain node:http server: what it answers per path, and the requests it saw. */
interface Plain {
  readonly url: string;
  readonly seen: IncomingMessage[];
  readonly server: Server;
}

async function plainServer(
  answer: (path: string, url: string) => [number, Record<string, string>?],
): Promise<Plain> {
  const seen: IncomingMessage[] = [];
  let url = '';
  const server = createNodeServer((req, res) => {
    seen.push(req);
    const [code, headers = {}] = answer(req.url ?? '/', url);
    req.resume();
    res.writeHead(code, headers).end(code < 300 ? `${req.method} ${req.url}` : `moved (${code})`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, server };
}

describe('redirects from a plain node:http server', () => {
  let home: Plain;
  let other: Plain;
  beforeAll(async () => {
    other = await plainServer((path) =>
      path === '/back' ? [302, { location: `${home.url}/final` }] : [200],
    );
    home = await plainServer((path) => {
      const code = /^\/(\d{3})\/?$/.exec(path)?.[1];
      if (code !== undefined) return [Number(code), { location: '/final' }];
      if (path === '/loop') return [302, { location: '/loop' }];
      if (path.startsWith('/chain/')) {
        const left = Number(path.slice('/chain/'.length));
        return left === 0 ? [200] : [307, { location: `/chain/${left - 1}` }];
      }
      if (path === '/docs/relative') return [301, { location: 'page?x=1' }];
      if (path === '/away') return [302, { location: `${other.url}/there` }];
      if (path === '/away-and-back') return [302, { location: `${other.url}/back` }];
      if (path === '/nowhere') return [302];
      return [200];
    });
  });
  afterAll(async () => {
    for (const { server } of [home, other]) await new Promise((resolve) => server.close(resolve));
  });

  it('follows 301, 302, 303, 307 and 308 for GET, HEAD and LIST, as fetch does', async () => {
    await using client = createClient(http(home.url));
    for (const code of [301, 302, 303, 307, 308]) {
      const res = await client.get(`/${code}`);
      expect(res.status, String(code)).toBe('ok');
      expect(await res.body.text()).toBe('GET /final');
      expect((await client.head(`/${code}`)).status).toBe('ok');
    }
    expect(home.seen.at(-1)?.method).toBe('HEAD');
    expect((await client.list('/301/')).status).toBe('ok');
    expect(home.seen.at(-1)?.url).toBe('/final');
  });

  it('resolves a relative location against the URL that answered it', async () => {
    await using client = createClient(http(home.url));
    const res = await client.get('/docs/relative');
    expect(await res.body.text()).toBe('GET /docs/page?x=1');
  });

  it('follows up to maxRedirects (default 5), then fails with a clear error; a loop fails too', async () => {
    await using client = createClient(http(home.url));
    expect(await (await client.get('/chain/5')).body.text()).toBe('GET /chain/0');
    const failure = await client.get('/chain/6').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ParleyError);
    expect(failure).toMatchObject({ status: 'unavailable', retryable: false });
    expect((failure as Error).message).toMatch(/More than 5 redirects .*maxRedirects/);
    await expect(client.get('/loop')).rejects.toThrow(/More than 5 redirects/);
    await using two = createClient(http(home.url, { maxRedirects: 2 }));
    await expect(two.get('/chain/3')).rejects.toThrow(/More than 2 redirects/);
  });

  it('answers unsupported with the location when redirects are off, maxRedirects is 0 or the method is not GET', async () => {
    for (const options of [{ followRedirects: false }, { maxRedirects: 0 }]) {
      await using client = createClient(http(home.url, options));
      const res = await client.get('/301');
      expect(res.status).toBe('unsupported');
      expect(res.headers.get('location')).toBe('/final');
      expect(await res.body.text()).toBe('moved (301)');
    }
    await using client = createClient(http(home.url));
    const put = await client.put('/307', 'body');
    expect(put.status).toBe('unsupported');
    expect(put.headers.get('location')).toBe('/final');
    expect((await client.get('/nowhere')).status).toBe('unsupported');
  });

  it('follows to another origin with a pool of its own, without the credentials', async () => {
    await using client = createClient(http(home.url.replace('//', '//alice:secret@')));
    const res = await client.get('/away');
    expect(await res.body.text()).toBe('GET /there');
    expect(home.seen.at(-1)?.headers.authorization).toMatch(/^Basic /);
    expect(other.seen.at(-1)?.headers.authorization).toBeUndefined();
    expect(other.seen.at(-1)?.headers.host).toBe(new URL(other.url).host);
    // Back to the first origin: the credentials, once dropped, stay dropped (as fetch does).
    expect(await (await client.get('/away-and-back')).body.text()).toBe('GET /final');
    expect(home.seen.at(-1)?.headers.authorization).toBeUndefined();
    // Same-origin redirects keep them.
    await client.get('/302');
    expect(home.seen.at(-1)?.headers.authorization).toMatch(/^Basic /);
    await using bearer = createClient(http(home.url, { token: 't0ken' }));
    await bearer.get('/away', { headers: { cookie: 'a=1' } });
    expect(other.seen.at(-1)?.headers.authorization).toBeUndefined();
    expect(other.seen.at(-1)?.headers.cookie).toBeUndefined();
  });
});

const nginxHere = requireNginx();

describe.runIf(nginxHere)('redirects from nginx', () => {
  let nginx: Nginx;
  beforeAll(async () => {
    nginx = await startNginx(`
      location = /old.txt { return 301 /new.txt; }
      location = /temporary { return 302 /new.txt; }
    `);
    await writeFile(join(nginx.root, 'new.txt'), 'the new place\n');
  });
  afterAll(() => nginx?.stop());

  it('follows an nginx return 301 and 302 to the file', async () => {
    await using client = createClient(http(nginx.url));
    const res = await client.get('/old.txt');
    expect(res.status).toBe('ok');
    expect(await res.body.text()).toBe('the new place\n');
    expect(await (await client.get('/temporary')).body.text()).toBe('the new place\n');
  });

  it('shows the 301 as unsupported with its location when not following', async () => {
    await using client = createClient(http(nginx.url, { followRedirects: false }));
    const res = await client.get('/old.txt');
    expect(res.status).toBe('unsupported');
    expect(res.headers.get('location')).toBe(`${nginx.url}/new.txt`);
    await res.body.cancel();
  });
});
