import type { FTPContext } from 'basic-ftp';

/** The size a preliminary reply announces: `150 Opening BINARY mode data connection for f (1234 bytes).` */
const ANNOUNCED_BYTES = /\((\d{1,15}) bytes\)/i;

/**
 * Watches the replies to the next RETR on a control connection for the size its preliminary
 * reply (`150`, `125`) announces, as vsftpd, ProFTPD and others write it: a download that ends
 * with fewer bytes was cut short, even when the server then says `226`. Call `stop` once the
 * transfer is over.
 */
export function watchAnnouncedSize(ftp: FTPContext): { announced(): number | undefined; stop(): void } {
  const own = Object.hasOwn(ftp, 'handle');
  const handle = ftp.handle;
  let announced: number | undefined;
  ftp.handle = (command, responseHandler) => {
    if (command === undefined || !command.startsWith('RETR '))
      return handle.call(ftp, command, responseHandler);
    return handle.call(ftp, command, (response, task) => {
      if (!(response instanceof Error) && (response.code === 150 || response.code === 125)) {
        const digits = ANNOUNCED_BYTES.exec(response.message)?.[1];
        announced ??= digits === undefined ? undefined : Number(digits);
      }
      responseHandler(response, task);
    });
  };
  return {
    announced: () => announced,
    stop: () => {
      if (own) ftp.handle = handle;
      else delete (ftp as { handle?: unknown }).handle;
    },
  };
}
