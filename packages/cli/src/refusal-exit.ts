import type { Method, Status } from '@parley/core';
import { EXIT } from './exit.js';

/** The schemes that carry mail: curl fails a refused envelope or message with "send failed". */
const MAIL_SCHEMES: ReadonlySet<string> = new Set(['smtp', 'smtps', 'lmtp']);

/** The FTP schemes: curl fails every refused command, with a code telling which. */
const FTP_SCHEMES: ReadonlySet<string> = new Set(['ftp', 'ftps']);

/**
 * The exit code of a failure a peer answered, when its protocol makes that a failed transfer
 * whatever `-f` says (`-f` changes nothing there, as with curl): FTP and SMTP replies carry no
 * page to keep, so a refused upload, download or mail ends with curl's code for it rather than
 * 0. A refused login (MQTT's included) is 67. Over FTP, a refused DELETE or MOVE is 21 (curl
 * sends them as quoted commands), a refused upload 25 whatever its reply, and a missing folder is
 * curl's failed `CWD`, "access denied" (9): a listing's `not_found`, or a file's when `folderMissing`.
 * HTTP (and WebSocket and MQTT, which carry its statuses) keep curl's HTTP rule: the answer is
 * written and the exit is 0 unless `-f`; `undefined` then.
 *
 * @param scheme - the URL's scheme, without its colon
 * @param method - the request's method; `MKD` for an FTP PUT of a path ending in `/` (a folder)
 * @param status - the status the peer answered with (not a success)
 * @param folderMissing - whether the folder holding the path is missing (FTP, for `not_found`)
 * @returns The exit code, or `undefined` when the answer is written as a success is.
 *
 * @example
 * ```ts
 * refusalExit('ftp', 'PUT', 'internal'); // 25, curl's "upload failed"
 * refusalExit('ftp', 'LIST', 'not_found'); // 9, curl's failed CWD
 * refusalExit('ftp', 'DELETE', 'not_found'); // 21, curl's failed -Q 'DELE ...'
 * refusalExit('http', 'GET', 'not_found'); // undefined: written, exit 0 (22 with -f)
 * ```
 */
export function refusalExit(
  scheme: string,
  method: Method | 'MKD',
  status: Status,
  folderMissing = false,
): number | undefined {
  const http = scheme === 'http' || scheme === 'https';
  if (status === 'unauthenticated' && !http) return EXIT.loginDenied;
  if (MAIL_SCHEMES.has(scheme)) return EXIT.sendError;
  if (!FTP_SCHEMES.has(scheme)) return undefined;
  // curl sends these as quoted commands (`-Q 'DELE a.txt'`, `RNFR`/`RNTO`, `MKD`), before any
  // CWD: whatever the refusal, its exit is 21.
  if (method === 'DELETE' || method === 'MOVE' || method === 'MKD') return EXIT.commandFailed;
  // curl's `STOR` refused is "upload failed" whatever the reply (a read-only server's 550 too),
  // unless its `CWD` into the folder failed first. A refusal after the data (`150` then `550` or
  // `451`) is 25 as well, where curl says 18 ("partial file") for every reply other than 226.
  if (method === 'PUT' || method === 'POST') return folderMissing ? EXIT.accessDenied : EXIT.uploadFailed;
  if (status === 'forbidden') return EXIT.accessDenied;
  if (status === 'not_found')
    return method === 'LIST' || folderMissing ? EXIT.accessDenied : EXIT.remoteFileNotFound;
  if (method === 'GET') return EXIT.cannotRetrieve;
  return EXIT.commandFailed;
}
