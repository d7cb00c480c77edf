import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from '../../test/support/ports.js';

const BINARY = spawnSync('sh', ['-c', 'command -v nginx || echo /usr/sbin/nginx']).stdout.toString().trim();
/** Debian builds the stream module as a dynamic module (package libnginx-mod-stream). */
const STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';

/** Whether nginx is installed, with its stream module (built in or as Debian's libnginx-mod-stream). */
export const hasNginx =
  existsSync(BINARY) &&
  (existsSync(STREAM_MODULE) || spawnSync(BINARY, ['-V']).stderr.toString().includes('--with-stream '));

/** Under CI a missing nginx is a failure, elsewhere the suites that need it skip. */
export function requireNginx(): boolean {
  if (hasNginx) return true;
  if (process.env.CI === 'true') {
    throw new Error('nginx with its stream module (Debian: nginx, libnginx-mod-stream) is required under CI');
  }
  return false;
}

/** The backends nginx balances: HTTP ports and SMTP ports of the notes processes. */
export interface Upstreams {
  readonly http: readonly number[];
  readonly smtp: readonly number[];
}

/** nginx in front of the notes processes: an HTTP upstream with keep-alive, an SMTP `stream` upstream. */
export interface Nginx {
  /** Port of the HTTP front. */
  readonly httpPort: number;
  /** Port of the SMTP front. */
  readonly smtpPort: number;
  /** Rewrites the upstreams and reloads (SIGHUP); old workers finish what they carry. */
  reload(upstreams: Upstreams): Promise<void>;
  /** Stops nginx and removes its directory. */
  stop(): Promise<void>;
}

/** The nginx.conf of the scaling setup (see docs/scaling.md, which shows the same blocks). */
export function nginxConfig(
  dir: string,
  ports: { http: number; smtp: number },
  upstreams: Upstreams,
): string {
  const servers = (list: readonly number[]): string =>
    list.map((port) => `    server 127.0.0.1:${port} max_fails=1 fail_timeout=5s;`).join('\n');
  return `${existsSync(STREAM_MODULE) ? `load_module ${STREAM_MODULE};\n` : ''}daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 2048; }

http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;

  upstream notes_http {
${servers(upstreams.http)}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${ports.http};
    client_max_body_size 64m;
    location / {
      proxy_pass http://notes_http;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_buffering off;
      proxy_read_timeout 1h;
    }
  }
}

stream {
  upstream notes_smtp {
${servers(upstreams.smtp)}
  }
  server {
    listen 127.0.0.1:${ports.smtp};
    proxy_pass notes_smtp;
    proxy_connect_timeout 2s;
  }
}
`;
}

/** Starts `nginx -c <conf> -p <dir>` in the foreground (`daemon off`), on two free 127.0.0.1 ports. */
export async function startNginx(upstreams: Upstreams): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-nginx-'));
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub));
  const ports = { http: await freePort(), smtp: await freePort() };
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig(dir, ports, upstreams));
  const child: ChildProcess = spawn(BINARY, ['-c', conf, '-p', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.race([
      Promise.all([waitForPort(ports.http), waitForPort(ports.smtp)]),
      exited.then(() => {
        throw new Error(`nginx exited: ${errors}${readLog(dir)}`);
      }),
    ]);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    httpPort: ports.http,
    smtpPort: ports.smtp,
    async reload(next) {
      writeFileSync(conf, nginxConfig(dir, ports, next));
      child.kill('SIGHUP');
      // The master starts new workers with the new upstreams at once; give it a moment.
      await new Promise((resolve) => setTimeout(resolve, 500));
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGQUIT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'error.log'), 'utf8');
  } catch {
    return '';
  }
}
