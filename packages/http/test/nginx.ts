import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from '../../../test/support/ports.js';

/** The nginx binary, or `undefined` when it is not installed. */
function nginxBinary(): string | undefined {
  for (const candidate of ['nginx', '/usr/sbin/nginx']) {
    try {
      execFileSync(candidate, ['-v'], { stdio: 'ignore' });
      return candidate;
    } catch {}
  }
  return undefined;
}

/** Whether nginx runs here; under `CI=true` a missing nginx is a failure, not a skip. */
export function requireNginx(): boolean {
  if (nginxBinary() !== undefined) return true;
  if (process.env.CI === 'true') throw new Error('nginx is required for the HTTP proxy tests in CI');
  return false;
}

/** An nginx of our own, proxying to a Parley server. */
export interface Nginx {
  /** `http://127.0.0.1:<port>`: `/` proxies with request buffering, `/unbuffered/` without. */
  readonly url: string;
  /** nginx's error log so far. */
  errors(): string;
  /** Stops nginx and removes its directory. */
  stop(): Promise<void>;
}

/**
 * Starts nginx in the foreground as a reverse proxy in front of `upstreamPort`, everything
 * (config, pid, logs, temporary files) in a temporary directory. `/` proxies with nginx's
 * default request buffering (the whole body is read before it is passed on); `/unbuffered/`
 * with `proxy_request_buffering off` (the body streams through). No body size limit.
 */
export async function startNginx(upstreamPort: number): Promise<Nginx> {
  const binary = nginxBinary() ?? 'nginx';
  const dir = mkdtempSync(join(tmpdir(), 'parley-nginx-'));
  for (const sub of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub));
  const port = await freePort();
  const upstream = `http://127.0.0.1:${upstreamPort}`;
  const config = [
    'daemon off;',
    'worker_processes 1;',
    // Run as root (as in CI containers), nginx's worker would switch to `nobody`: keep the user.
    ...(process.getuid?.() === 0 ? ['user root;'] : []),
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log info;`,
    'events { worker_connections 256; }',
    'http {',
    `  access_log ${dir}/access.log;`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((sub) => `  ${sub}_temp_path ${dir}/${sub};`),
    '  client_max_body_size 0;',
    '  server {',
    `    listen 127.0.0.1:${port};`,
    `    location / { proxy_pass ${upstream}; proxy_http_version 1.1; }`,
    `    location /unbuffered/ { proxy_pass ${upstream}/; proxy_http_version 1.1; proxy_request_buffering off; }`,
    '  }',
    '}',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'nginx.conf'), config);
  const child: ChildProcess = spawn(
    binary,
    ['-c', join(dir, 'nginx.conf'), '-p', dir, '-e', join(dir, 'error.log')],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort(port);
  return {
    url: `http://127.0.0.1:${port}`,
    errors: () => readFileSync(join(dir, 'error.log'), 'utf8'),
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
