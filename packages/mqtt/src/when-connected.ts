import { ParleyError } from '@parley/core';
import { timerDelay } from '@parley/core/transport';
import type { MqttClient } from 'mqtt';

/**
 * Resolves once the client is connected: at once, or after a reconnection. Fails with a
 * retryable `unavailable` ParleyError when it does not come back within `timeoutMs`, or with
 * the signal's reason when it aborts first.
 */
export function whenConnected(
  client: MqttClient,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<void> {
  if (client.connected) return Promise.resolve();
  if (client.disconnecting || client.disconnected) {
    return Promise.reject(
      new ParleyError('unavailable', 'The MQTT connection is closed', { retryable: false }),
    );
  }
  return new Promise((resolve, reject) => {
    const done = (error?: ParleyError): void => {
      clearTimeout(timer);
      client.off('connect', onConnect);
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    const onConnect = (): void => done();
    const onAbort = (): void => done(ParleyError.from(signal?.reason));
    const timer = setTimeout(
      () =>
        done(
          new ParleyError('unavailable', `The MQTT broker did not come back within ${timeoutMs} ms`, {
            retryable: true,
          }),
        ),
      timerDelay(timeoutMs),
    );
    client.on('connect', onConnect);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
