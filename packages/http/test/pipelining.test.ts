import { createRouter, respond } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { rawConnection, serveEach } from './helpers.js';

const start = serveEach();

/** A notes router whose writes take a while, so that a read running too early would show. */
function slowNotes(log: string[] = []) {
  const notes = new Map<string, string>();
  const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 30));
  return createRouter()
    .get('/notes/:name', async (request) => {
      log.push(`GET ${request.params.name}`);
      const text = notes.get(request.params.name ?? '');
      return text === undefined ? respond('not_found', 'no such note') : respond('ok', text);
    })
    .put('/notes/:name', async (request) => {
      log.push(`PUT ${request.params.name} start`);
      const text = await request.body.text();
      await pause();
      notes.set(request.params.name ?? '', text);
      log.push(`PUT ${request.params.name} end`);
      return respond('created', 'stored');
    })
    .delete('/notes/:name', async (request) => {
      await pause();
      return notes.delete(request.params.name ?? '') ? respond('no_content') : respond('not_found');
    });
}

const put = (name: string, text: string): string =>
  `PUT /notes/${name} HTTP/1.1\r\nHost: x\r\nContent-Length: ${text.length}\r\n\r\n${text}`;
const get = (name: string): string => `GET /notes/${name} HTTP/1.1\r\nHost: x\r\n\r\n`;
const del = (name: string): string => `DELETE /notes/${name} HTTP/1.1\r\nHost: x\r\n\r\n`;

/** The status codes and bodies of the responses in a raw exchange, in order. */
function responses(raw: string): string[] {
  return raw
    .split(/(?=HTTP\/1\.1 )/)
    .map((one) => `${one.slice(9, 12)} ${one.slice(one.indexOf('\r\n\r\n') + 4)}`.trim());
}

describe('pipelined requests on one connection', () => {
  it('run a GET pipelined after a PUT only once the PUT has taken effect', async () => {
    const { port } = await start(slowNotes().handle);
    const conn = await rawConnection(port, put('a', 'first') + get('a'));
    const raw = await conn.waitFor('\r\n\r\nfirst');
    expect(responses(raw)).toEqual(['201 stored', '200 first']);
    conn.socket.destroy();
  });

  it('answer 404 to a GET pipelined after a DELETE', async () => {
    const { port } = await start(slowNotes().handle);
    const conn = await rawConnection(port, put('b', 'x') + del('b') + get('b'));
    const raw = await conn.waitFor('no such note');
    expect(responses(raw)).toEqual(['201 stored', '204', '404 no such note']);
    conn.socket.destroy();
  });

  it('let a PUT wait for the GETs before it, and the GETs after it wait for the PUT', async () => {
    const log: string[] = [];
    const { port } = await start(slowNotes(log).handle);
    const conn = await rawConnection(port, put('c', 'one') + get('c') + put('c', 'two') + get('c'));
    const raw = await conn.waitFor('\r\n\r\ntwo');
    expect(responses(raw)).toEqual(['201 stored', '200 one', '201 stored', '200 two']);
    expect(log).toEqual(['PUT c start', 'PUT c end', 'GET c', 'PUT c start', 'PUT c end', 'GET c']);
    conn.socket.destroy();
  });

  it('answer many pipelined GETs in order, and let them overlap', async () => {
    let running = 0;
    let most = 0;
    const { port } = await start(async (request) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return respond('ok', request.path);
    });
    const count = 50;
    const names = Array.from({ length: count }, (_, i) => `n${i}`);
    const conn = await rawConnection(port, names.map(get).join(''));
    const raw = await conn.waitFor(`\r\n\r\n/notes/n${count - 1}`);
    expect(responses(raw)).toEqual(names.map((name) => `200 /notes/${name}`));
    expect(most).toBeGreaterThan(1);
    conn.socket.destroy();
  });
});
