import { type ListenContext, ParleyError } from '@parley/core';
import type { SMTPServerOptions } from 'smtp-server';
import type { SmtpOptions } from '../options.js';
import { traceLogger } from '../trace-logger.js';
import type { ServerLimits } from './limits.js';

/** TLS settings of the server: implicit TLS for `smtps://`, certificates for STARTTLS. */
export function tlsOptions(url: URL, options: SmtpOptions): SMTPServerOptions {
  const secure = url.protocol === 'smtps:';
  if (secure && (options.tls?.key === undefined || options.tls.cert === undefined)) {
    throw new ParleyError('bad_request', 'smtps:// needs tls.key and tls.cert');
  }
  return { ...options.tls, secure };
}

/**
 * The `smtp-server` options of a listener, without its hooks: limits, TLS, AUTH (offered only
 * when the service authenticates; STARTTLS only with a certificate on `smtp://`), the trace.
 */
export function smtpServerOptions(
  url: URL,
  options: SmtpOptions,
  limits: ServerLimits,
  context: ListenContext,
): SMTPServerOptions {
  return {
    ...tlsOptions(url, options),
    name: options.name ?? 'localhost',
    banner: 'Parley',
    lmtp: options.lmtp ?? false,
    size: limits.maxBodyBytes,
    maxClients: limits.maxConnections,
    maxRecipients: limits.maxRecipients,
    socketTimeout: limits.socketTimeoutMs,
    closeTimeout: limits.closeTimeoutMs,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: context.authenticate === undefined,
    allowInsecureAuth: options.allowInsecureAuth ?? false,
    hideENHANCEDSTATUSCODES: false,
    disableReverseLookup: true,
    logger: context.trace === undefined ? false : traceLogger(context.trace, 'server'),
    disabledCommands: [
      ...(context.authenticate === undefined ? ['AUTH'] : []),
      ...(options.tls?.key === undefined || url.protocol === 'smtps:' ? ['STARTTLS'] : []),
    ],
  };
}
