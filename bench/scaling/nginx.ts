import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { NGINX_STREAM_MODULE, nginxPreamble, nginxTempPaths, runNginx } from '../../test/support/nginx.js';
import { peerPath } from '../../test/support/peer.js';
import { freePort } from '../../test/support/ports.js';

const BINARY = peerPath('nginx');

/** Whether nginx is installed, with its stream module (built in or as Debian's libnginx-mod-stream). */
export const hasNginx =
  existsSync(BINARY) &&
  (existsSync(NGINX_STREAM_MODULE) || spawnSync(BINARY, ['-V']).stderr.toString().includes('--with-stream '));

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
  return `${existsSync(NGINX_STREAM_MODULE) ? `load_module ${NGINX_STREAM_MODULE};\n` : ''}${nginxPreamble(dir, { workerConnections: 2048 })}

http {
  access_log off;
  ${nginxTempPaths(dir)}

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

/** Starts nginx in the foreground on two free 127.0.0.1 ports, in front of `upstreams`. */
export async function startNginx(upstreams: Upstreams): Promise<Nginx> {
  const ports = { http: await freePort(), smtp: await freePort() };
  const running = await runNginx((dir) => nginxConfig(dir, ports, upstreams), [ports.http, ports.smtp]);
  return {
    httpPort: ports.http,
    smtpPort: ports.smtp,
    reload: (next) => running.reload(nginxConfig(running.dir, ports, next)),
    stop: running.stop,
  };
}
