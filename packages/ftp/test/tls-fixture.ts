import { readFileSync } from 'node:fs';
import type { FtpTlsOptions } from '@parley/ftp';

/** A self-signed certificate for 127.0.0.1 and localhost, for the FTPS tests only. */
export const TEST_TLS: FtpTlsOptions = {
  key: readFileSync(new URL('./fixtures/key.pem', import.meta.url)),
  cert: readFileSync(new URL('./fixtures/cert.pem', import.meta.url)),
};
