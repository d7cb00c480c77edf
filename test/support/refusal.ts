import { ParleyError, type Transport } from '@parley/core';

/** What making a transport from `url` throws: its status and message, or `undefined`. */
export function refusal(
  make: (url: string) => Transport,
  url: string,
): { status: string; message: string } | undefined {
  try {
    make(url);
    return undefined;
  } catch (error) {
    if (!(error instanceof ParleyError)) return { status: 'not a ParleyError', message: String(error) };
    return { status: error.status, message: error.message };
  }
}
