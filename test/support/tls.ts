import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

let directory: string | undefined;
const made = new Map<string, TestCertificate>();

/** The run's scratch directory for certificates, removed at exit. */
function scratch(): string {
  if (directory !== undefined) return directory;
  const dir = mkdtempSync(join(tmpdir(), 'parley-tls-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  directory = dir;
  return dir;
}

/** Makes (once per process) a key and certificate with openssl; `make` writes both files. */
function certificate(name: string, make: (keyPath: string, certPath: string) => void): TestCertificate {
  const known = made.get(name);
  if (known !== undefined) return known;
  const dir = scratch();
  const keyPath = join(dir, `${name}-key.pem`);
  const certPath = join(dir, `${name}-cert.pem`);
  make(keyPath, certPath);
  const result = { key: readFileSync(keyPath), cert: readFileSync(certPath), certPath };
  made.set(name, result);
  return result;
}

/** A self-signed certificate valid from now for one day, for `subject` and the `names` (SAN). */
function forOneDay(subject: string, names: string): (keyPath: string, certPath: string) => void {
  return (keyPath, certPath) =>
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'],
        ...['-keyout', keyPath, '-out', certPath, '-subj', subject, '-addext', `subjectAltName=${names}`],
      ],
      { stdio: 'ignore' },
    );
}

/** The test run's certificate, made once per process with openssl and removed at exit. */
export function selfSignedCertificate(): TestCertificate {
  return certificate('localhost', forOneDay('/CN=localhost', 'DNS:localhost,IP:127.0.0.1'));
}

/** A self-signed certificate for `localhost` and 127.0.0.1 that expired on 2 January 2020. */
export function expiredCertificate(): TestCertificate {
  return certificate('expired', (key, out) => {
    const dir = scratch();
    const csr = join(dir, 'expired.csr');
    execFileSync(
      'openssl',
      [
        ...['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr],
        ...['-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
      ],
      { stdio: 'ignore' },
    );
    const config = join(dir, 'ca.cnf');
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'serial'), '01\n');
    writeFileSync(
      config,
      [
        '[ca]',
        'default_ca = expired',
        '[expired]',
        `database = ${join(dir, 'index.txt')}`,
        `serial = ${join(dir, 'serial')}`,
        `new_certs_dir = ${dir}`,
        'default_md = sha256',
        'policy = any',
        'copy_extensions = copy',
        'unique_subject = no',
        '[any]',
        'commonName = supplied',
        '',
      ].join('\n'),
    );
    execFileSync(
      'openssl',
      [
        ...['ca', '-batch', '-config', config, '-selfsign', '-keyfile', key, '-in', csr, '-out', out],
        ...['-startdate', '20200101000000Z', '-enddate', '20200102000000Z', '-notext'],
      ],
      { stdio: 'ignore' },
    );
  });
}

/** A valid self-signed certificate for another host (`example.com`), neither localhost nor 127.0.0.1. */
export function otherHostCertificate(): TestCertificate {
  return certificate('other-host', forOneDay('/CN=example.com', 'DNS:example.com'));
}
