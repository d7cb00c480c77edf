import {
  Body,
  type Connector,
  createClient,
  MEMORY_CONTRACT,
  ParleyError,
  type Request,
  type Response,
  respond,
  type Transport,
} from '@parley/core';
import { describe, expect, it, vi } from 'vitest';

/** A transport whose connector runs `send`, recording every request it gets. */
function fakeTransport(
  send: (request: Request, attempt: number) => Promise<Response>,
  methods = MEMORY_CONTRACT.methods,
) {
  const sent: Request[] = [];
  const transport: Transport = {
    contract: { ...MEMORY_CONTRACT, protocol: 'fake', methods },
    url: 'fake://x',
    connect: (): Connector => ({
      send: (request) => {
        sent.push(request);
        return send(request, sent.length);
      },
      close: async () => {},
    }),
    listen: () => Promise.reject(new Error('not a server')),
  };
  return { transport, sent };
}

const unavailable = () => new ParleyError('unavailable', 'connection refused', { retryable: true });

describe('Client', () => {
  it('refuses methods the contract does not carry, before sending', async () => {
    const { transport, sent } = fakeTransport(async () => respond('ok'), ['POST']);
    const client = createClient(transport);
    const error = await client.get('/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParleyError);
    expect((error as ParleyError).status).toBe('unsupported');
    expect((error as ParleyError).message).toContain('fake does not carry GET');
    expect(sent).toHaveLength(0);
    expect(() => client.subscribe('/x')).toThrow('fake does not carry events');
  });

  it('retries idempotent methods on retryable failures, replaying the body', async () => {
    const read: string[] = [];
    const { transport, sent } = fakeTransport(async (request, attempt) => {
      read.push(await request.body.text()); // each attempt consumes its body before failing
      if (attempt < 3) throw unavailable();
      return respond('ok');
    });
    const client = createClient(transport, { retries: 2, retryDelayMs: 1 });
    expect((await client.put('/x', 'payload')).status).toBe('ok');
    expect(sent).toHaveLength(3);
    expect(read).toEqual(['payload', 'payload', 'payload']);
  });

  it('never retries POST', async () => {
    const { transport, sent } = fakeTransport(async () => {
      throw unavailable();
    });
    const client = createClient(transport, { retries: 5, retryDelayMs: 1 });
    await expect(client.post('/x', 'once')).rejects.toMatchObject({ status: 'unavailable' });
    expect(sent).toHaveLength(1);
  });

  it('moves with the target in the destination header, and never retries a MOVE', async () => {
    const { transport, sent } = fakeTransport(async () => {
      throw unavailable();
    });
    const client = createClient(transport, { retries: 5, retryDelayMs: 1 });
    await expect(
      client.move('/notes/a.txt', 'notes//b.txt', { headers: { 'x-trace': '1' } }),
    ).rejects.toMatchObject({ status: 'unavailable' });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'MOVE', path: '/notes/a.txt' });
    expect(sent[0]?.headers.get('destination')).toBe('/notes/b.txt');
    expect(sent[0]?.headers.get('x-trace')).toBe('1');
  });

  it('does not retry a streamed body it cannot replay', async () => {
    const { transport, sent } = fakeTransport(async () => {
      throw unavailable();
    });
    const client = createClient(transport, { retries: 3, retryDelayMs: 1 });
    async function* stream() {
      yield 'a';
    }
    await expect(client.put('/x', Body.from(stream()))).rejects.toMatchObject({ status: 'unavailable' });
    expect(sent).toHaveLength(1);
  });

  it('fails with timeout when no answer comes in time, even if the transport ignores the signal', async () => {
    const { transport } = fakeTransport(() => new Promise<Response>(() => {}));
    const client = createClient(transport, { timeoutMs: 50 });
    await expect(client.get('/x')).rejects.toMatchObject({ status: 'timeout', retryable: false });
    await expect(client.get('/x', { timeoutMs: 20 })).rejects.toMatchObject({ status: 'timeout' });
  });

  it('hands an already aborted signal to a transport that reads it only after the deadline', async () => {
    vi.useFakeTimers();
    try {
      let seen: AbortSignal | undefined;
      const { transport } = fakeTransport(async (request) => {
        await new Promise((resolve) => setTimeout(resolve, 60));
        seen = request.signal;
        return respond('ok');
      });
      const client = createClient(transport, { timeoutMs: 20 });
      const call = expect(client.get('/x')).rejects.toMatchObject({ status: 'timeout' });
      await vi.advanceTimersByTimeAsync(20);
      await call;
      expect(seen).toBeUndefined();
      await vi.advanceTimersByTimeAsync(40);
      expect(seen?.aborted).toBe(true);
      expect(seen?.reason).toMatchObject({ status: 'timeout' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not reach the transport when the caller aborted before the call', async () => {
    const { transport, sent } = fakeTransport(async () => respond('ok'));
    const client = createClient(transport);
    await expect(client.get('/x', { signal: AbortSignal.abort() })).rejects.toMatchObject({
      status: 'cancelled',
    });
    expect(sent).toHaveLength(0);
  });

  it('fails with cancelled when the caller aborts, and hands the signal to the transport', async () => {
    const { transport, sent } = fakeTransport(() => new Promise<Response>(() => {}));
    const client = createClient(transport);
    const controller = new AbortController();
    const call = client.get('/x', { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ status: 'cancelled' });
    expect(sent[0]?.signal.aborted).toBe(true);
  });

  it('merges default and per-call headers, and runs middleware around calls', async () => {
    const { transport, sent } = fakeTransport(async () => respond('ok'));
    const seen: string[] = [];
    const client = createClient(transport, {
      headers: { 'x-app': 'demo', 'x-over': 'default' },
      middleware: [
        (next) => async (request) => {
          seen.push(request.path);
          return next(request);
        },
      ],
    });
    await client.get('/a', { headers: { 'X-Over': 'call' } });
    expect(sent[0]?.headers.toObject()).toEqual({ 'x-app': 'demo', 'x-over': 'call' });
    expect(sent[0]?.peer.protocol).toBe('fake');
    const deadline = sent[0]?.deadline ?? 0;
    expect(deadline).toBeGreaterThan(Date.now());
    expect(deadline).toBeLessThanOrEqual(Date.now() + 30_000);
    expect(seen).toEqual(['/a']);
  });

  it('fails with a ParleyError when the transport fails with anything else, with middleware or without', async () => {
    const failing = () => fakeTransport(async () => Promise.reject(new Error('wire cut')));
    const bare = createClient(failing().transport, { retries: 0 });
    await expect(bare.get('/a')).rejects.toBeInstanceOf(ParleyError);
    await expect(bare.put('/a', 'x')).rejects.toBeInstanceOf(ParleyError);
    const seen: unknown[] = [];
    const wrapped = createClient(failing().transport, {
      retries: 0,
      middleware: [
        (next) => (request) =>
          next(request).catch((error: unknown) => Promise.reject(seen.push(error) && error)),
      ],
    });
    await expect(wrapped.get('/a')).rejects.toBeInstanceOf(ParleyError);
    expect(seen[0]).toBeInstanceOf(ParleyError);
  });

  it('rejects, never throws, when a call is refused before it is sent', () => {
    const { transport } = fakeTransport(async () => respond('ok'), ['POST']);
    const client = createClient(transport);
    const refused = client.get('/a');
    expect(refused).toBeInstanceOf(Promise);
    return expect(refused).rejects.toMatchObject({ status: 'unsupported' });
  });

  it('lists collections with a trailing slash and is closed by await using', async () => {
    const { transport, sent } = fakeTransport(async () => respond('ok', '[]'));
    {
      await using client = createClient(transport);
      await client.list('/notes');
      expect(sent[0]?.path).toBe('/notes/');
      expect(sent[0]?.method).toBe('LIST');
    }
  });

  it('refuses calls after close', async () => {
    const { transport } = fakeTransport(async () => respond('ok'));
    const client = createClient(transport);
    await client.close();
    await expect(client.get('/x')).rejects.toMatchObject({ status: 'unavailable' });
  });
});
