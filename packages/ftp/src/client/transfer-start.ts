import { ParleyError } from '@parley/core';
import type { FTPContext, ResponseHandler } from 'basic-ftp';

/** The commands whose data moves on a data connection, opened by a `150` or `125` reply. */
const TRANSFERS = /^(RETR|STOR|APPE|LIST|MLSD|NLST)\b/i;

/**
 * Fails a transfer the server calls complete (`2xx`) before it ever opened it (`150`, `125`):
 * no byte of the file, listing or upload moved, whatever the reply says. Without this, the
 * client would wait on the data connection until its timeout. The control connection is closed
 * with `unavailable`: a server that skips the transfer's opening reply is not trusted further.
 *
 * @param ftp - the control connection's context; its `handle` is wrapped once
 */
export function refuseCompletionBeforeStart(ftp: FTPContext): void {
  const handle = ftp.handle.bind(ftp);
  ftp.handle = (command: string | undefined, responseHandler: ResponseHandler) => {
    const verb = command === undefined ? undefined : TRANSFERS.exec(command)?.[1]?.toUpperCase();
    if (verb === undefined) return handle(command, responseHandler);
    let started = false;
    return handle(command, (response, task) => {
      if (!(response instanceof Error)) {
        if (response.code === 150 || response.code === 125) started = true;
        else if (!started && response.code >= 200 && response.code < 300) {
          ftp.closeWithError(
            new ParleyError(
              'unavailable',
              `The FTP server answered ${verb} with ${response.code} before opening the transfer: nothing moved`,
              { retryable: false },
            ),
          );
          return;
        }
      }
      responseHandler(response, task);
    });
  };
}
