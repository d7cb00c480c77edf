import type { TransportContract } from '@parley/core';
import { roundTripStatuses } from '@parley/core/transport';
import { FTP_STATUS_MAP } from './status-map.js';

/**
 * What FTP carries of the Parley contract: `GET` (RETR), `PUT` (STOR, or MKD on a path ending
 * in `/`), `POST` (APPE), `DELETE` (DELE, or RMD on a path ending in `/`), `LIST` (MLSD) and
 * `HEAD` (MLST, SIZE, MDTM) and `MOVE` (RNFR then RNTO, its `destination` the RNTO path). Replies to `GET` and `LIST` carry a body; header fields do not
 * travel, except that `HEAD` answers carry `content-length` and `last-modified`. Logins are
 * user name and password; TLS is explicit (`AUTH TLS`).
 * The statuses are those that survive a round trip through {@link FTP_STATUS_MAP}.
 */
export const FTP_CONTRACT: TransportContract = {
  protocol: 'ftp',
  methods: ['GET', 'PUT', 'POST', 'DELETE', 'LIST', 'HEAD', 'MOVE'],
  statuses: roundTripStatuses(FTP_STATUS_MAP),
  reply: 'body',
  requestHeaders: false,
  responseHeaders: false,
  streaming: true,
  events: false,
  auth: ['password'],
  tls: ['starttls'],
  limits: {},
};
