import { Client as BasicClient, enterPassiveModeIPv6, type FTPContext, type FTPResponse } from 'basic-ftp';
import { connectForPassiveTransfer, parsePasvResponse } from 'basic-ftp/dist/transfer.js';

/**
 * PASV, connecting to the control connection's address whatever address the reply names, as
 * curl does by default (`--ftp-skip-pasv-ip`): a server behind NAT names its private address,
 * and a hostile one could name another host for the client to connect to.
 */
async function passiveAtControlHost(ftp: FTPContext): Promise<FTPResponse> {
  const reply = await ftp.request('PASV');
  const { port } = parsePasvResponse(reply.message);
  const host = ftp.socket.remoteAddress;
  if (host === undefined) throw new Error('The control connection is closed');
  await connectForPassiveTransfer(host, port, ftp);
  return reply;
}

/** basic-ftp's client opening data connections with EPSV, or else PASV at the control connection's address. */
export class PassiveClient extends BasicClient {
  /**
   * Makes the client.
   *
   * @param timeoutMs - basic-ftp's timeout, in ms (0: none)
   */
  constructor(timeoutMs: number) {
    super(timeoutMs);
    this.prepareTransfer = this._enterFirstCompatibleMode([enterPassiveModeIPv6, passiveAtControlHost]);
  }
}
