import { Readable } from 'node:stream';
import { Body, ParleyError } from '@parley/core';
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
