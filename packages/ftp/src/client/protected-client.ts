import type { ConnectionOptions } from 'node:tls';
import { ParleyError } from '@parley/core';
import { FTPError, type FTPResponse } from 'basic-ftp';
import { PassiveClient } from './passive.js';

/** The error of an FTPS connection whose server refused to protect it: nothing more is sent. */
function refusedTls(command: string, reply: { code: number; message: string }): ParleyError {
  const what = command === 'PROT P' ? 'data connections' : 'the login and commands';
  return new ParleyError(
    'unavailable',
    `The FTP server refused ${command} (${reply.message.trim()}): TLS was asked for, so ${what} are not sent in clear text`,
    { retryable: false },
  );
}

/**
 * The FTP client of Parley: passive data connections ({@link PassiveClient}) and FTPS that
 * never falls back to clear text. A refused `AUTH TLS` fails before USER and PASS; a refused
 * `PROT P` (which basic-ftp would ignore) fails before any transfer.
 */
export class ProtectedClient extends PassiveClient {
  /** `AUTH TLS`, failing with a ParleyError when the server refuses it. */
  override async useTLS(options?: ConnectionOptions, command = 'AUTH TLS'): Promise<FTPResponse> {
    try {
      return await super.useTLS(options, command);
    } catch (error) {
      if (error instanceof FTPError) throw refusedTls(command, error);
      throw error;
    }
  }

  /** A command whose refusal does not matter, except `PROT P` on a connection with TLS. */
  override async sendIgnoringError(command: string): Promise<FTPResponse> {
    const reply = await super.sendIgnoringError(command);
    if (command === 'PROT P' && this.ftp.hasTLS && reply.code >= 300) throw refusedTls(command, reply);
    return reply;
  }
}
