import type { ParleyError } from '../error.js';

/**
 * Where {@link captureResolvers} leaves a new promise's resolving functions. Whoever made the
 * promise reads both at once, then sets them back to `undefined`.
 */
export const capturedResolvers: {
  resolve: ((value: never) => void) | undefined;
  reject: ((error: ParleyError) => void) | undefined;
} = { resolve: undefined, reject: undefined };

/**
 * A promise executor shared by every call, so that a promise made on a hot path needs no closure
 * to hand out its resolving functions: `new Promise<T>(captureResolvers)`, then read
 * {@link capturedResolvers}.
 */
export function captureResolvers(
  resolve: (value: never) => void,
  reject: (error: ParleyError) => void,
): void {
  capturedResolvers.resolve = resolve;
  capturedResolvers.reject = reject;
}
