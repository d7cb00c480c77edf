import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasPeer, peerPath, requirePeer } from './peer.js';
import { freePort, waitForPort } from './ports.js';

/** Whether nginx is installed. */
export const hasNginx = hasPeer('nginx');

/** Under CI a missing nginx is a failure, elsewhere the suites that need it skip. */
export function requireNginx(): boolean {
  return requirePeer('nginx', hasNginx);
}

/** Debian builds nginx's `stream` module as a dynamic module (package libnginx-mod-stream). */
export const NGINX_STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';

/** The lines that open every nginx.conf written here: foreground, one worker, files in `dir`. */
export function nginxPreamble(dir: string, options: { workerConnections?: number } = {}): string {
  return [
    'daemon off;',
    'worker_processes 1;',
    // Run as root (as in CI containers), nginx's worker would switch to `nobody` and could not
    // write its temporary files: keep the user.
    ...(process.getuid?.() === 0 ? ['user root;'] : []),
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} warn;`,
    `events { worker_connections ${options.workerConnections ?? 256}; }`,
  ].join('\n');
}

/** The `*_temp_path` directives of an `http` block, each in `dir`. */
export function nginxTempPaths(dir: string): string {
  return ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((name) => `${name}_temp_path ${join(dir, `${name}-temp`)};`)
    .join('\n  ');
}

/** A running nginx of our own, everything (config, pid, logs, temporary files) in one folder. */
export interface NginxProcess {
  /** Its folder. */
  readonly dir: string;
  /** nginx's error log so far. */
  errors(): string;
  /** Writes the config again from `config(dir)` and reloads (SIGHUP); old workers finish what they carry. */
  reload(config: string): Promise<void>;
  /** Stops nginx (SIGQUIT, graceful; SIGKILL after 5 s) and removes its folder. */
  stop(): Promise<void>;
}

/**
 * Starts `nginx -c <config> -p <dir>` in the foreground with the config `configFor(dir)` returns
 * (begin it with {@link nginxPreamble}), and waits until every one of `ports` accepts
 * connections. If nginx exits first, fails with its error log.
 */
export async function runNginx(
  configFor: (dir: string) => string,
  ports: readonly number[],
): Promise<NginxProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-nginx-'));
  chmodSync(dir, 0o755);
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, configFor(dir));
  const child: ChildProcess = spawn(
    peerPath('nginx'),
    ['-c', conf, '-p', dir, '-e', join(dir, 'error.log')],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const errors = (): string => {
    const log = join(dir, 'error.log');
    return stderr + (existsSync(log) ? readFileSync(log, 'utf8') : '');
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGQUIT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([
      Promise.all(ports.map((port) => waitForPort(port))),
      exited.then(() => Promise.reject(new Error(`nginx exited: ${errors()}`))),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    dir,
    errors,
    async reload(config) {
      writeFileSync(conf, config);
      child.kill('SIGHUP');
      // The master starts new workers with the new config at once; give it a moment.
      await new Promise((resolve) => setTimeout(resolve, 500));
    },
    stop,
  };
}

/** Options of {@link startNginx}. */
export interface NginxOptions {
  /** Parameters added to the `listen` directive, such as `ssl http2`. Default: none. */
  readonly listen?: string | undefined;
}

/** An nginx of our own on 127.0.0.1 and a free port, serving files from a temp folder. */
export interface Nginx {
  /** `http://127.0.0.1:<port>` (`https://` when it listens with `ssl`). */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** The folder it serves (`root`); write files here. */
  readonly root: string;
  /** nginx's error log so far. */
  errors(): string;
  /** Stops nginx and removes its folder. */
  stop(): Promise<void>;
}

/**
 * Starts nginx with one server on 127.0.0.1 and a free port whose `root` is `<folder>/root`,
 * with `server` (directives of the `server` block, where `{port}` stands for the port and
 * `{root}` for that folder) inside it.
 */
export async function startNginx(server: string, options: NginxOptions = {}): Promise<Nginx> {
  const port = await freePort();
  const rootOf = (dir: string): string => join(dir, 'root');
  const running = await runNginx(
    (dir) => {
      const root = rootOf(dir);
      mkdirSync(root);
      // Worker processes may run as another user: let them read the served files.
      chmodSync(root, 0o755);
      const block = server.replaceAll('{port}', String(port)).replaceAll('{root}', root);
      return `${nginxPreamble(dir)}
http {
  access_log off;
  ${nginxTempPaths(dir)}
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${port}${options.listen ? ` ${options.listen}` : ''};
    root ${root};
    ${block}
  }
}
`;
    },
    [port],
  );
  const secure = /\bssl\b/.test(options.listen ?? '');
  return {
    url: `${secure ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    root: rootOf(running.dir),
    errors: running.errors,
    stop: running.stop,
  };
}
