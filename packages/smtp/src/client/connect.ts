import { ParleyError, type Request, type Response, type Trace } from '@parley/core';
import { checkNumber, credentialsOf, hostOf, portOf } from '@parley/core/transport';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { SmtpOptions } from '../options.js';
import { traceLogger } from '../trace-logger.js';
import { assertSendable, composeMessage } from './compose.js';
import { DATA_GO_AHEAD_REQUIRED, requireDataGoAhead } from './data-go-ahead.js';
import { checkSentWhole } from './early-reply.js';
import { failOnClose } from './fail-on-close.js';
import { sendToEach } from './recipients.js';
import { acknowledgement, clientError, refusal, type SendError, tlsFailure } from './reply.js';
import { mustStartTls } from './starttls-policy.js';

/** The client side: a pool of SMTP connections (nodemailer) that sends each request as a message. */
export function connectSmtp(url: URL, options: SmtpOptions, trace?: Trace) {
  const transporter = createPool(url, options, trace);
  const failSends = failOnClose(transporter);
  const defaults = { from: options.from ?? 'parley@localhost', domain: options.domain ?? 'localhost' };
  return {
    async send(request: Request): Promise<Response> {
      assertSendable(request);
      if (request.signal.aborted) throw new ParleyError('cancelled', 'The call was aborted');
      const message = composeMessage(request, defaults);
      if (message.envelope.to.length > 1) return sendToEach(transporter, message, request.signal);
      try {
        const info = await transporter.sendMail({
          envelope: message.envelope,
          raw: message.raw,
          signal: request.signal,
        } as Parameters<Transporter['sendMail']>[0]);
        const reply = String(info.response ?? '250');
        checkSentWhole(message.raw, message.bytesRead(), info.messageSize, reply);
        return acknowledgement(reply, message.messageId ?? info.messageId);
      } catch (error) {
        message.raw.destroy();
        const failure = error as SendError;
        if (failure.code === 'ETLS') throw tlsFailure(failure);
        if (typeof failure.responseCode === 'number' && failure.responseCode >= 200) {
          return refusal({ ...failure, responseCode: failure.responseCode }, message.messageId);
        }
        throw clientError(failure, request.signal);
      }
    },
    async close(): Promise<void> {
      // Forced: a connection still being opened (or sending) is not left to its timeout.
      (transporter.close as (options: { force: boolean }) => void)({ force: true });
      failSends();
    },
  };
}

function createPool(
  url: URL,
  options: SmtpOptions,
  trace: Trace | undefined,
): Transporter<SMTPPool.SentMessageInfo> {
  const timeoutMs = checkNumber('SMTP', 'timeoutMs', options.timeoutMs ?? 30_000, 'amount', true);
  const secure = url.protocol === 'smtps:';
  const credentials = credentialsOf(url);
  requireDataGoAhead();
  const poolOptions: SMTPPool.Options & { [DATA_GO_AHEAD_REQUIRED]: boolean } = {
    [DATA_GO_AHEAD_REQUIRED]: true,
    pool: true,
    host: hostOf(url),
    port: portOf(url, secure ? 465 : 25),
    secure,
    lmtp: options.lmtp ?? false,
    maxConnections: checkNumber('SMTP', 'maxConnections', options.maxConnections ?? 5, 'count', true),
    maxMessages: Number.POSITIVE_INFINITY,
    ignoreTLS: options.starttls === false,
    requireTLS: mustStartTls(url, options),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    name: options.name ?? 'localhost',
    ...(options.tls === undefined ? {} : { tls: options.tls }),
    ...(credentials === undefined
      ? {}
      : { auth: { user: credentials.username, pass: credentials.password } }),
    ...(trace === undefined ? {} : { logger: traceLogger(trace, 'client'), transactionLog: true }),
  };
  return nodemailer.createTransport(poolOptions);
}
