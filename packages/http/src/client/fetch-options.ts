/**
 * Options of the `fetch`-based HTTP client (the `http()` of `@parley/http` in browsers). Every
 * limit has a default.
 */
export interface FetchHttpOptions {
  /**
   * A token sent as `Authorization: Bearer <token>`, instead of the URL's user name and password
   * (sent as HTTP Basic). Default: none.
   */
  token?: string | undefined;
  /**
   * Whether request bodies stream (`duplex: 'half'` with a ReadableStream body). Browsers stream
   * uploads over HTTP/2 and HTTP/3 only (Chromium; over HTTP/1.1 such a request fails), so by
   * default (`'auto'`) bodies stream on `https://` URLs when the platform can stream requests,
   * and are read whole first (up to {@link FetchHttpOptions.maxBufferedUploadBytes}) otherwise.
   * `true` always streams (Node.js's fetch does over HTTP/1.1 too); `false` never does.
   * Default: `'auto'`.
   */
  streamUploads?: boolean | 'auto' | undefined;
  /**
   * The largest request body read whole before it is sent (when uploads do not stream); a larger
   * one fails with `too_large` before anything is sent. Default: 67 108 864 (64 MiB).
   */
  maxBufferedUploadBytes?: number | undefined;
  /**
   * Whether the browser sends its cookies and HTTP authentication (`fetch`'s `credentials`):
   * `'same-origin'`, `'include'` (cross-origin too; the server must allow it by CORS) or
   * `'omit'`. Default: `'same-origin'`.
   */
  credentials?: 'omit' | 'same-origin' | 'include' | undefined;
}

/** The defaults of {@link FetchHttpOptions}. */
export const FETCH_HTTP_DEFAULTS = {
  /** Largest buffered upload, in bytes (64 MiB). */
  maxBufferedUploadBytes: 64 * 1024 * 1024,
} as const;
