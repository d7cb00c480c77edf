import { ParleyError } from '@parley/core';
import type { Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';

/**
 * Makes the sends of a nodemailer pool fail with `unavailable` when the returned function is
 * called (the client closes): closing the pool ends its idle connections, but a send waiting
 * for a connection that is still being opened would otherwise wait for the connection's
 * timeout, or for its call's deadline.
 *
 * @param transporter - the pool; its `sendMail` is wrapped in place
 * @returns A function that fails every send still in flight.
 */
export function failOnClose(transporter: Transporter<SMTPPool.SentMessageInfo>): () => void {
  const waiting = new Set<(error: ParleyError) => void>();
  type Info = SMTPPool.SentMessageInfo;
  const send = transporter.sendMail.bind(transporter) as (mail: unknown) => Promise<Info>;
  transporter.sendMail = ((mail: unknown) =>
    new Promise<Info>((resolve, reject) => {
      waiting.add(reject);
      send(mail).then(
        (info) => {
          waiting.delete(reject);
          resolve(info);
        },
        (error: unknown) => {
          waiting.delete(reject);
          reject(error);
        },
      );
    })) as Transporter<SMTPPool.SentMessageInfo>['sendMail'];
  return () => {
    const closed = new ParleyError('unavailable', 'The SMTP client is closed', { retryable: false });
    for (const reject of waiting) reject(closed);
    waiting.clear();
  };
}
