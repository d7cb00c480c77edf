import { ParleyError } from '@parley/core';
import { reasonCodeToStatus } from './status-map.js';

/**
 * The ParleyError of a failed PUBLISH: a broker's refusal by its reason code (PUBACK), a lost
 * connection (or a message forgotten when it dropped) as a retryable `unavailable`.
 */
export function publishFailure(error: unknown): ParleyError {
  if (error instanceof ParleyError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // MQTT.js's words for a message forgotten when its connection dropped (see the session).
  if (message === 'Message removed')
    return new ParleyError('unavailable', 'The connection to the broker dropped before it took the message', {
      retryable: true,
    });
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number') {
    return new ParleyError(reasonCodeToStatus(code), `The broker refused the message: ${message}`, {
      cause: error,
    });
  }
  return new ParleyError('unavailable', `The message could not be published: ${message}`, {
    cause: error,
    retryable: true,
  });
}
