import {
  createClient,
  createServer,
  memory,
  ParleyError,
  type Request,
  readListing,
  respond,
  respondJson,
} from '@parley/core';
import type { ListenContext, Transport } from '@parley/core/transport';
import { describe, expect, it } from 'vitest';

/** A transport carrying requests but no events, whose listener hands its context out. */
function requestsOnly(contexts: ListenContext[] = []): Transport {
  return {
    contract: { ...memory().contract, protocol: 'plain', events: false },
    url: 'plain://here',
    connect: () => ({ send: async () => respond('ok'), close: async () => {} }),
    listen: async (context) => {
      contexts.push(context);
      return { url: 'plain://here', stopAccepting: async () => {}, close: async () => {} };
    },
  };
}

const unsupported = (error: unknown) =>
  error instanceof ParleyError && error.status === 'unsupported' && !error.retryable;

describe('events as a capability', () => {
  it('the client refuses publish and subscribe with unsupported when the connector has no events', async () => {
    const client = createClient(requestsOnly());
    await expect(client.publish('/notes/a', 'x')).rejects.toSatisfy(unsupported);
    expect(() => client.subscribe('/notes/*')).toThrow(/does not carry events/);
    await client.close();
  });

  it('the server publishes on the listeners that have events and skips the others', async () => {
    const server = createServer(async () => respond('ok'));
    const listener = await server.listen(memory('memory://capabilities-events'));
    await server.listen(requestsOnly());
    const client = createClient(memory(listener.url));
    const controller = new AbortController();
    const events = client.subscribe('/notes/*', { signal: controller.signal })[Symbol.asyncIterator]();
    await server.publish('/notes/a', 'hello');
    const first = await events.next();
    expect(first.done).toBe(false);
    if (!first.done) expect(await first.value.body.text()).toBe('hello');
    controller.abort();
    await client.close();
    await server.close();
  });
});

describe('the listen context onError hook', () => {
  it('hands what a transport reports to createServer({ onError }), without a request', async () => {
    const contexts: ListenContext[] = [];
    const seen: { status: string; request: Request | undefined; context: string | undefined }[] = [];
    const server = createServer(async () => respond('ok'), {
      onError: (error, request, context) => seen.push({ status: error.status, request, context }),
    });
    await server.listen(requestsOnly(contexts));
    contexts[0]?.onError?.(new ParleyError('internal', 'a reply was lost'), 'plain: replying');
    expect(seen).toEqual([{ status: 'internal', request: undefined, context: 'plain: replying' }]);
    await server.close();
  });
});

describe('readListing', () => {
  const listing = () =>
    respondJson('ok', [
      { name: 'a.txt', type: 'file' },
      { name: 'b', type: 'directory' },
    ]);

  it('reads entries within its limits', async () => {
    const entries = await readListing(listing(), { maxBytes: 1000, maxEntries: 2 });
    expect(entries.map((entry) => entry.name)).toEqual(['a.txt', 'b']);
  });

  it('refuses a body over maxBytes or more than maxEntries entries with too_large', async () => {
    const tooLarge = (error: unknown) => error instanceof ParleyError && error.status === 'too_large';
    await expect(readListing(listing(), { maxBytes: 10 })).rejects.toSatisfy(tooLarge);
    await expect(readListing(listing(), { maxEntries: 1 })).rejects.toSatisfy(tooLarge);
  });

  it('refuses a body that is no JSON array with bad_request', async () => {
    const badRequest = (error: unknown) => error instanceof ParleyError && error.status === 'bad_request';
    await expect(readListing(respondJson('ok', { name: 'x' }))).rejects.toSatisfy(badRequest);
  });
});
