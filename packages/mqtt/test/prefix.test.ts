import { createClient, createRouter, createServer, ParleyError, respond } from '@parley/core';
import { type Broker, mqtt, startBroker } from '@parley/mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PendingReplies, SWEEP_MS } from '../src/client/pending-replies.js';
import { RequestSignals } from '../src/server/request-signals.js';
import { failure } from './fixtures/failure.js';

describe('a prefix no server listens on', () => {
  let broker: Broker;
  const server = createServer(
    createRouter()
      .get('/notes/:name', async (request) => respond('ok', `note ${request.params.name}`))
      // Answers only after the caller gave up.
      .get('/stuck', () => new Promise(() => {})),
  );
  beforeAll(async () => {
    broker = await startBroker({ port: 0 });
    await server.listen(mqtt(`${broker.url}/notes-service`));
  });
  afterAll(async () => {
    await server.close({ timeoutMs: 1_000 });
    await broker?.close();
  });

  it("says no Parley server answered on that prefix, at the transport's reply timeout", async () => {
    await using client = createClient(mqtt(`${broker.url}/notes-servce`, { timeoutMs: 500 }), { retries: 0 });
    const error = await failure(client.get('/notes/a.txt'));
    expect(error.status).toBe('timeout');
    expect(error.message).toMatch(
      /^No Parley server answered on prefix 'notes-servce' within 500 ms; check the prefix and that a server is listening/,
    );
  });

  it("says so too when the call's own timeoutMs passes first", async () => {
    await using client = createClient(mqtt(`${broker.url}/notes-servce`), { retries: 0 });
    const error = await failure(client.get('/notes/a.txt', { timeoutMs: 400 }));
    expect(error.status).toBe('timeout');
    expect(error.message, error.message).toMatch(
      /No Parley server answered on prefix 'notes-servce' within \d+ ms/,
    );
  });

  it('blames a slow handler, not the prefix, once a server has answered on the connection', async () => {
    await using client = createClient(mqtt(`${broker.url}/notes-service`, { timeoutMs: 500 }), {
      retries: 0,
    });
    expect(await (await client.get('/notes/a.txt')).body.text()).toBe('note a.txt');
    const error = await failure(client.get('/stuck'));
    expect(error.status).toBe('timeout');
    expect(error.message).toBe('No reply within 500 ms');
  });
});

describe('PendingReplies', () => {
  it('settles an exchange with the error of its kind once its wait passes (fake timers)', () => {
    vi.useFakeTimers();
    try {
      const outcomes: unknown[] = [];
      const plain = new PendingReplies<string>(30_000);
      const named = new PendingReplies<string>(
        30_000,
        () => new ParleyError('timeout', 'nobody on the prefix'),
      );
      plain.add('1', (outcome) => outcomes.push(outcome));
      named.add('1', (outcome) => outcomes.push(outcome));
      vi.advanceTimersByTime(29_999);
      expect(outcomes).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(outcomes.map((outcome) => (outcome as Error).message)).toEqual([
        'No reply within 30000 ms',
        'nobody on the prefix',
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reads a call signal only once the call waited a sweep, and settles it when it aborts', () => {
    vi.useFakeTimers();
    try {
      const outcomes: unknown[] = [];
      const controller = new AbortController();
      let reads = 0;
      const pending = new PendingReplies<string>(30_000);
      const signal = (): AbortSignal => {
        reads++;
        return controller.signal;
      };
      pending.add('quick', (outcome) => outcomes.push(outcome), signal);
      pending.settle('quick', 'reply');
      pending.add('slow', (outcome) => outcomes.push(outcome), signal);
      vi.advanceTimersByTime(SWEEP_MS);
      expect(reads).toBe(0);
      vi.advanceTimersByTime(SWEEP_MS);
      expect(reads).toBe(1);
      controller.abort(new ParleyError('cancelled', 'stop'));
      expect(outcomes.map((outcome) => (outcome instanceof Error ? outcome.message : outcome))).toEqual([
        'reply',
        'stop',
      ]);
      expect(pending.settle('slow', 'late')).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('settles a call whose signal had aborted before it was read', () => {
    vi.useFakeTimers();
    try {
      const outcomes: unknown[] = [];
      const pending = new PendingReplies<string>(30_000);
      const signal = AbortSignal.abort(new ParleyError('cancelled', 'gone'));
      pending.add(
        '1',
        (outcome) => outcomes.push(outcome),
        () => signal,
      );
      vi.advanceTimersByTime(2 * SWEEP_MS);
      expect(outcomes.map((outcome) => (outcome as Error).message)).toEqual(['gone']);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('RequestSignals', () => {
  it("makes a request's signal only when read, aborted when the request expired before", () => {
    vi.useFakeTimers();
    try {
      const signals = new RequestSignals();
      const expiring = signals.open(Date.now() + 1_000);
      const lasting = signals.open(undefined);
      vi.advanceTimersByTime(1_000);
      const expired = expiring.signal();
      expect(expired.aborted).toBe(true);
      expect((expired.reason as ParleyError).status).toBe('timeout');
      expect(expiring.signal()).toBe(expired);
      const open = lasting.signal();
      expect(open.aborted).toBe(false);
      signals.cutOff(new ParleyError('unavailable', 'shut down'));
      expect(open.aborted).toBe(true);
      expect(signals.open(undefined).signal().aborted).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
