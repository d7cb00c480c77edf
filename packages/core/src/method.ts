/**
 * The operations of the Parley contract. `LIST` reads a collection (a path ending in `/`);
 * `MOVE` renames the resource at its path to the path in its `destination` header field, in one
 * step (see `moveDestination`).
 */
export const METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'LIST', 'MOVE'] as const;

/** One of the {@link METHODS}. */
export type Method = (typeof METHODS)[number];

const IDEMPOTENT: ReadonlySet<Method> = new Set<Method>(['GET', 'HEAD', 'PUT', 'DELETE', 'LIST']);

/**
 * Whether repeating the method has the same effect as doing it once (all but `POST` and
 * `MOVE`: a repeated move finds its source gone).
 *
 * @param method - the method
 *
 * @example
 * ```ts
 * isIdempotent('PUT'); // true
 * isIdempotent('POST'); // false
 * ```
 */
export function isIdempotent(method: Method): boolean {
  return IDEMPOTENT.has(method);
}

/**
 * True when `value` is one of the {@link METHODS}.
 *
 * @param value - any value, such as a method name read from the wire
 *
 * @example
 * ```ts
 * isMethod('LIST'); // true
 * isMethod('PATCH'); // false
 * ```
 */
export function isMethod(value: unknown): value is Method {
  return typeof value === 'string' && (METHODS as readonly string[]).includes(value);
}
