import { STATUSES, type TransportContract } from '@parley/core';
import { ftpReply, statusFromFtpReply } from './status-map.js';

/**
 * What FTP carries of the Parley contract: `GET` (RETR), `PUT` (STOR, or MKD on a path ending
 * in `/`), `POST` (APPE), `DELETE` (DELE, or RMD on a path ending in `/`), `LIST` (MLSD) and
 * `HEAD` (MLST, SIZE, MDTM) and `MOVE` (RNFR then RNTO, its `destination` the RNTO path). Replies to `GET` and `LIST` carry a body; header fields do not
 * travel, except that `HEAD` answers carry `content-length` and `last-modified`. Logins are
 * user name and password; TLS is explicit (`AUTH TLS`).
 * The statuses are those that survive a round trip through the reply codes of `status-map.ts`.
 */
export const FTP_CONTRACT: TransportContract = {
  protocol: 'ftp',
  methods: ['GET', 'PUT', 'POST', 'DELETE', 'LIST', 'HEAD', 'MOVE'],
  statuses: STATUSES.filter((status) => {
    if (status === 'unsupported') return false;
    const reply = ftpReply(status, 'transfer', `status ${status}`);
    return statusFromFtpReply(reply.code, reply.text) === status;
  }),
  reply: 'body',
  requestHeaders: false,
  responseHeaders: false,
  streaming: true,
  events: false,
  auth: ['password'],
  tls: ['starttls'],
  limits: {},
};
