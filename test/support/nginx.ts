import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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

/** An nginx of our own on 127.0.0.1 and a free port, serving files from a temp folder. */
export interface Nginx {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** The folder it serves (`root`); write files here. */
  readonly root: string;
  /** Stops nginx and removes its folder. */
  stop(): Promise<void>;
}

/**
 * Starts nginx in the foreground (`daemon off;`) with a config of its own in a temp folder:
 * one server on 127.0.0.1 whose `root` is `<folder>/root`, with `server` (directives of the
 * `server` block, where `{port}` stands for the port and `{root}` for that folder) inside it.
 */
export async function startNginx(server: string): Promise<Nginx> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-nginx-'));
  const root = join(dir, 'root');
  await mkdir(root);
  // Worker processes may run as another user: let them read the served files.
  await chmod(dir, 0o755);
  await chmod(root, 0o755);
  const port = await freePort();
  const config = join(dir, 'nginx.conf');
  await writeFile(
    config,
    nginxConfig(dir, root, port, server.replaceAll('{port}', String(port)).replaceAll('{root}', root)),
  );
  const child = spawn(peerPath('nginx'), ['-p', dir, '-c', config, '-e', join(dir, 'error.log')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.race([
      waitForPort(port),
      exited.then(() => Promise.reject(new Error(`nginx exited: ${errors}`))),
    ]);
  } catch (error) {
    await stopChild(child, exited);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    root,
    async stop() {
      await stopChild(child, exited);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await exited;
}

function nginxConfig(dir: string, root: string, port: number, server: string): string {
  const temp = (name: string): string => `${name}_temp_path ${join(dir, `${name}-temp`)};`;
  return `daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 64; }
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    ${server}
  }
}
`;
}
