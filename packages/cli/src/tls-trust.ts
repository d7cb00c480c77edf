import { readFileSync } from 'node:fs';
import { CliError, EXIT } from './exit.js';

/**
 * Which TLS certificates the command trusts beyond the system's, as curl: `--cacert FILE` adds
 * the certificates of a PEM file (a private or self-signed authority), `-k`/`--insecure` trusts
 * any certificate (the connection is still encrypted, but to a peer nobody vouched for).
 */
export interface TlsTrust {
  /** PEM certificates to trust. */
  readonly ca?: string;
  /** `false` with `-k`. */
  readonly rejectUnauthorized?: boolean;
}

/**
 * The trust `-k` and `--cacert` ask for, `undefined` when neither is given. A CA file that cannot
 * be read, or holds no PEM certificate, ends the command with curl's exit code 77.
 *
 * @param insecure - `-k` was given
 * @param caFile - the `--cacert` file, if any
 * @returns The trust, or `undefined` for the system's alone.
 */
export function tlsTrust(insecure: boolean, caFile: string | undefined): TlsTrust | undefined {
  if (caFile === undefined) return insecure ? { rejectUnauthorized: false } : undefined;
  let ca: string;
  try {
    ca = readFileSync(caFile, 'utf8');
  } catch (error) {
    throw new CliError(
      EXIT.caCertificate,
      `Cannot read the CA certificate file ${caFile}: ${(error as Error).message}`,
    );
  }
  if (!ca.includes('-----BEGIN CERTIFICATE-----'))
    throw new CliError(
      EXIT.caCertificate,
      `${caFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
    );
  return insecure ? { ca, rejectUnauthorized: false } : { ca };
}
