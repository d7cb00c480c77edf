import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A key and a self-signed certificate for `localhost` and 127.0.0.1, for TLS tests. */
export interface TestCertificate {
  /** The private key (PEM). */
  readonly key: Buffer;
  /** The certificate (PEM); also the CA a client trusts to accept it. */
  readonly cert: Buffer;
  /** Path of the certificate file, for peers that take a file (curl's `--cacert`). */
  readonly certPath: string;
}

let made: TestCertificate | undefined;

/** The test run's certificate, made once per process with openssl and removed at exit. */
export function selfSignedCertificate(): TestCertificate {
  if (made !== undefined) return made;
  const dir = mkdtempSync(join(tmpdir(), 'parley-tls-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'],
      ...['-keyout', keyPath, '-out', certPath, '-subj', '/CN=localhost'],
      ...['-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    ],
    { stdio: 'ignore' },
  );
  made = { key: readFileSync(keyPath), cert: readFileSync(certPath), certPath };
  return made;
}
