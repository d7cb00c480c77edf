import type { TransportContract } from '@parley/core';
import { roundTripStatuses } from '@parley/core/transport';
import { SMTP_STATUS_MAP } from './status-map.js';

/**
 * What SMTP carries of the Parley contract: `POST` only (a message to a mailbox), answered by
 * an acknowledgement (a reply code and text, no body). Request headers ride as mail header
 * fields; a handler's response headers do not travel (the client sees `message-id` and
 * `smtp-reply` made from the server's reply instead). Credentials come by AUTH PLAIN or LOGIN;
 * TLS by STARTTLS, or from the first byte with `smtps://`.
 */
export const SMTP_CONTRACT: TransportContract = {
  protocol: 'smtp',
  methods: ['POST'],
  statuses: roundTripStatuses(SMTP_STATUS_MAP),
  reply: 'acknowledgement',
  requestHeaders: true,
  responseHeaders: false,
  streaming: true,
  events: false,
  auth: ['password'],
  tls: ['starttls', 'tls'],
  limits: {},
};
