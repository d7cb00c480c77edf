import { createServer, type Listener, memory, respond, type Transport } from '@parley/core';
import { describe, expect, it } from 'vitest';

/** A transport whose listen resolves when the test says so, counting the closes of its listener. */
function slowTransport(): { transport: Transport; start(): void; closes: () => number } {
  let closes = 0;
  let start = (): void => {};
  const started = new Promise<void>((resolve) => {
    start = resolve;
  });
  const listener: Listener = {
    url: 'slow://',
    stopAccepting: async () => {},
    close: async () => {
      closes++;
    },
  };
  const transport = {
    ...memory('memory://close-while-listening'),
    listen: async () => {
      await started;
      return listener;
    },
  } as Transport;
  return { transport, start, closes: () => closes };
}

describe('Server closed while a listen is under way', () => {
  it('closes the listener that starts late and refuses the listen', async () => {
    const server = createServer(async () => respond('ok'));
    const slow = slowTransport();
    const listening = server.listen(slow.transport);
    const closing = server.close({ timeoutMs: 1_000 });
    slow.start();
    await expect(listening).rejects.toMatchObject({ status: 'unavailable', retryable: false });
    await closing;
    expect(slow.closes()).toBe(1);
    expect(server.state).toBe('closed');
    expect(server.listeners).toHaveLength(0);
  });

  it('settles close only once the late listener is closed', async () => {
    const server = createServer(async () => respond('ok'));
    const slow = slowTransport();
    const listening = server.listen(slow.transport).catch(() => undefined);
    let closed = false;
    const closing = server.close({ timeoutMs: 1_000 }).then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(false);
    slow.start();
    await Promise.all([listening, closing]);
    expect(slow.closes()).toBe(1);
  });
});
