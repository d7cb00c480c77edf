import { Readable } from 'node:stream';
import { Body, createRequest, fillChunks, HeaderMap, lendChunks, ParleyError, respond } from '@parley/core';
import { describe, expect, it } from 'vitest';

describe('Body', () => {
  it('reads strings, bytes, Node streams, web streams and async iterables', async () => {
    expect(await Body.from('héllo').text()).toBe('héllo');
    expect(await Body.from(new Uint8Array([1, 2, 3])).bytes()).toEqual(new Uint8Array([1, 2, 3]));
    expect(await Body.from(Readable.from([Buffer.from('a'), Buffer.from('b')])).text()).toBe('ab');
    const web = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('web'));
        controller.close();
      },
    });
    expect(await Body.from(web as never).text()).toBe('web');
    async function* parts() {
      yield 'x';
      yield new Uint8Array([121]);
    }
    expect(await Body.from(parts()).text()).toBe('xy');
    expect(await Body.from(null).text()).toBe('');
  });

  it('is consumed once', async () => {
    const body = Body.from('once');
    await body.text();
    expect(body.used).toBe(true);
    await expect(body.text()).rejects.toBeInstanceOf(ParleyError);
  });

  it('knows the size of buffered bodies and of declared streams', () => {
    expect(Body.from('abc').size).toBe(3);
    expect(Body.from(Readable.from([]), 42).size).toBe(42);
    expect(Body.from(Readable.from([])).size).toBeUndefined();
  });

  it('refuses more than a read limit with too_large and stops the stream', async () => {
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < 100; i++) yield Buffer.alloc(1024);
      })(),
    );
    const error = await Body.from(source)
      .bytes({ limit: 4096 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParleyError);
    expect((error as ParleyError).status).toBe('too_large');
    expect(source.destroyed).toBe(true);
    await expect(Body.from('12345').text({ limit: 4 })).rejects.toMatchObject({ status: 'too_large' });
  });

  it('refuses more than a read limit of a web ReadableStream with too_large and cancels it', async () => {
    let pulled = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
      },
      cancel() {
        cancelled = true;
      },
    });
    await expect(Body.from(stream).bytes({ limit: 4096 })).rejects.toMatchObject({ status: 'too_large' });
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(10);
    let unreadCancelled = false;
    const unread = new ReadableStream<Uint8Array>({
      cancel() {
        unreadCancelled = true;
      },
    });
    await Body.from(unread).cancel();
    expect(unreadCancelled).toBe(true);
  });

  it('parses JSON and answers bad JSON with bad_request', async () => {
    expect(await Body.from('{"a":1}').json()).toEqual({ a: 1 });
    await expect(Body.from('{nope').json()).rejects.toMatchObject({ status: 'bad_request' });
  });

  it('turns into a Node stream and can be cancelled', async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of Body.from('streamed').stream()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('streamed');
    const source = Readable.from([Buffer.from('x')]);
    const body = Body.from(source);
    await body.cancel();
    expect(body.used).toBe(true);
    expect(source.destroyed).toBe(true);
  });
});

describe('Body.lend', () => {
  it('leaves a body whose source cannot lend unread', async () => {
    const body = Body.from(Readable.from([Buffer.from('a')]));
    expect(body.lend(() => {})).toBeUndefined();
    expect(body.used).toBe(false);
    expect(await body.text()).toBe('a');
    expect(Body.from('text').lend(() => {})).toBeUndefined();
  });

  it("hands the consumer to a lending source's function, once", async () => {
    const memory = new Uint8Array(2);
    const source = Object.assign(Readable.from([]), {
      [lendChunks]: async (consume: (chunk: Uint8Array) => void) => {
        for (const byte of [1, 2]) {
          memory.fill(byte);
          consume(memory);
        }
      },
    });
    const body = Body.from(source);
    const seen: number[] = [];
    await body.lend((chunk) => seen.push(...chunk));
    expect(seen).toEqual([1, 1, 2, 2]);
    expect(body.used).toBe(true);
    expect(() => body.lend(() => {})).toThrow(ParleyError);
  });
});

describe('Body.filler', () => {
  it('leaves a body whose source cannot fill buffers unread', async () => {
    const body = Body.from(Readable.from([Buffer.from('a')]));
    expect(body.filler()).toBeUndefined();
    expect(body.used).toBe(false);
    expect(await body.text()).toBe('a');
  });

  it("takes the body as its source's filler, once", () => {
    const source = Object.assign(Readable.from([]), {
      [fillChunks]: () => (buffer: Uint8Array) => {
        buffer.fill(9);
        return buffer.byteLength;
      },
    });
    const body = Body.from(source);
    const fill = body.filler();
    const buffer = new Uint8Array(3);
    expect(fill?.(buffer)).toBe(3);
    expect([...buffer]).toEqual([9, 9, 9]);
    expect(body.used).toBe(true);
    expect(() => body.filler()).toThrow(ParleyError);
  });
});

describe('Blob bodies', () => {
  it('stream a Blob or a File, with its size and type known before reading', async () => {
    const blob = new Blob(['hello ', new Uint8Array([119, 111, 114, 108, 100])], { type: 'text/plain' });
    const body = Body.from(blob);
    expect(body.size).toBe(11);
    expect(body.type).toBe('text/plain');
    expect(body.buffered).toBeUndefined();
    expect(await body.text()).toBe('hello world');
    const file = new File([new Uint8Array(70_000).fill(7)], 'seven.bin');
    const streamed = Body.from(file);
    expect(streamed.size).toBe(70_000);
    expect(streamed.type).toBeUndefined();
    let total = 0;
    for await (const chunk of streamed) total += chunk.byteLength;
    expect(total).toBe(70_000);
    expect(Body.from('text').type).toBeUndefined();
  });

  it('keep the limit of a read, and a Blob can be read again by another body', async () => {
    const blob = new Blob(['x'.repeat(100)]);
    await expect(Body.from(blob).bytes({ limit: 10 })).rejects.toMatchObject({ status: 'too_large' });
    expect((await Body.from(blob).bytes()).byteLength).toBe(100);
    expect(await Body.from(new Blob([])).text()).toBe('');
  });

  it('give respond and createRequest their content-type, unless the headers name one', async () => {
    const json = new Blob(['{"a":1}'], { type: 'application/json' });
    expect(respond('ok', json).headers.get('content-type')).toBe('application/json');
    const given = new HeaderMap({ 'content-type': 'text/plain' });
    expect(respond('ok', json, given).headers.get('content-type')).toBe('text/plain');
    const shared = new HeaderMap({ 'x-a': '1' });
    const request = createRequest({ method: 'PUT', path: '/a', body: json, headers: shared });
    expect(request.headers.get('content-type')).toBe('application/json');
    expect(shared.has('content-type')).toBe(false);
    expect(await request.body.json()).toEqual({ a: 1 });
    expect(respond('ok', new Blob(['x'])).headers.has('content-type')).toBe(false);
  });
});
