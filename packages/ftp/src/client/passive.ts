import { Client as BasicClient, type FTPContext, type FTPResponse } from 'basic-ftp';
import { connectForPassiveTransfer } from 'basic-ftp/dist/transfer.js';
import { epsvPort, pasvPort } from './passive-reply.js';
import { refuseCompletionBeforeStart } from './transfer-start.js';

/** EPSV: the data connection goes to the control connection's address, at the port the reply names. */
async function extendedPassive(ftp: FTPContext): Promise<FTPResponse> {
  const reply = await ftp.request('EPSV');
  await connectForPassiveTransfer(controlHost(ftp), epsvPort(reply.message), ftp);
  return reply;
}

/**
 * PASV, connecting to the control connection's address whatever address the reply names, as
 * curl does by default (`--ftp-skip-pasv-ip`): a server behind NAT names its private address,
 * and a hostile one could name another host for the client to connect to.
 */
async function passiveAtControlHost(ftp: FTPContext): Promise<FTPResponse> {
  const reply = await ftp.request('PASV');
  await connectForPassiveTransfer(controlHost(ftp), pasvPort(reply.message), ftp);
  return reply;
}

function controlHost(ftp: FTPContext): string {
  const host = ftp.socket.remoteAddress;
  if (host === undefined) throw new Error('The control connection is closed');
  return host;
}

/**
 * basic-ftp's client opening data connections with EPSV, or else PASV at the control
 * connection's address; a reply naming a port outside 1-65535 fails instead of being wrapped,
 * and a transfer called complete before it was opened fails (see {@link refuseCompletionBeforeStart}).
 */
export class PassiveClient extends BasicClient {
  /**
   * Makes the client.
   *
   * @param timeoutMs - basic-ftp's timeout, in ms (0: none)
   */
  constructor(timeoutMs: number) {
    super(timeoutMs);
    this.prepareTransfer = this._enterFirstCompatibleMode([extendedPassive, passiveAtControlHost]);
    refuseCompletionBeforeStart(this.ftp);
  }
}
