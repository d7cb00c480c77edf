import type { Client as BasicClient, FTPContext, ResponseHandler } from 'basic-ftp';

/** The size a preliminary reply announces: `150 Opening BINARY mode data connection for f (1234 bytes).` */
const ANNOUNCED_BYTES = /\((\d{1,15}) bytes\)/i;

/** Per control connection: who, if anyone, waits for the next RETR's preliminary reply. */
const watchers = new WeakMap<FTPContext, { onPreliminary: ((message: string) => void) | undefined }>();
/**
 * Watches the replies to the next RETR on a control connection for the size its preliminary
 * reply (`150`, `125`) announces, as vsftpd, ProFTPD and others write it: a download that ends
 * with fewer bytes was cut short, even when the server then says `226`. Call `stop` once the
 * transfer is over. The connection's `handle` is wrapped once, when first watched, and stays so
 * (its shape does not change with each download).
 */
export function watchAnnouncedSize(ftp: FTPContext): { announced(): number | undefined; stop(): void } {
  let watcher = watchers.get(ftp);
  if (watcher === undefined) {
    const state: { onPreliminary: ((message: string) => void) | undefined } = { onPreliminary: undefined };
    watcher = state;
    watchers.set(ftp, state);
    const handle = ftp.handle.bind(ftp);
    ftp.handle = (command: string | undefined, responseHandler: ResponseHandler) => {
      const onPreliminary = state.onPreliminary;
      if (onPreliminary === undefined || command === undefined || !command.startsWith('RETR '))
        return handle(command, responseHandler);
      return handle(command, (response, task) => {
        if (!(response instanceof Error) && (response.code === 150 || response.code === 125))
          onPreliminary(response.message);
        responseHandler(response, task);
      });
    };
  }
  let announced: number | undefined;
  const active = watcher;
  const onPreliminary = (message: string): void => {
    const digits = ANNOUNCED_BYTES.exec(message)?.[1];
    announced ??= digits === undefined ? undefined : Number(digits);
  };
  active.onPreliminary = onPreliminary;
  return {
    announced: () => announced,
    stop: () => {
      if (active.onPreliminary === onPreliminary) active.onPreliminary = undefined;
    },
  };
}

/**
 * The size of `path` by `SIZE`, asked after a download whose preliminary reply announced none
 * (pyftpdlib's, for one): a download that ended shorter was cut short, even though the server
 * said `226` (or the file grew while it was sent). `undefined` when the server cannot tell
 * (`550`, `502`...) or the connection failed.
 */
export async function sizeAfterDownload(client: BasicClient, path: string): Promise<number | undefined> {
  try {
    const reply = await client.sendIgnoringError(`SIZE ${path}`);
    if (reply.code !== 213) return undefined;
    const size = Number(reply.message.slice(4).trim());
    return Number.isSafeInteger(size) && size >= 0 ? size : undefined;
  } catch {
    return undefined;
  }
}
