import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from '../lib/scripts.js';

/** One process of the notes service (examples/notes), stateless but for the shared data directory. */
export interface NotesProcess {
  readonly child: ChildProcess;
  /** Its own HTTP port (nginx balances over these). */
  readonly httpPort: number;
  /** Its own SMTP port. */
  readonly smtpPort: number;
  /** Requests it has served so far, per protocol (counted from its log lines). */
  readonly served: Readonly<Record<string, number>>;
  /** Kills it with `signal` and waits for it to exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `examples/notes/src/main.ts` on free ports, storing notes in `dataDir` and answering
 * MQTT requests on the external broker `brokerUrl` (no embedded broker), and waits until it
 * prints where it listens.
 */
export function startNotesProcess(dataDir: string, brokerUrl: string): Promise<NotesProcess> {
  const env = {
    ...process.env,
    PARLEY_HOST: '127.0.0.1',
    PARLEY_HTTP_PORT: '0',
    PARLEY_FTP_PORT: '0',
    PARLEY_SMTP_PORT: '0',
    PARLEY_MQTT_URL: brokerUrl,
    PARLEY_DATA_DIR: dataDir,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/notes/src/main.ts'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    const ports: Record<string, number> = {};
    const served: Record<string, number> = {};
    const timer = setTimeout(() => {
      void kill('SIGKILL');
      reject(new Error(`The notes service did not start within 60 s: ${errors}`));
    }, 60_000);
    void exited.then(() => reject(new Error(`The notes service exited: ${errors}`)));
    // Every line is read (one per request once it serves), so its output never blocks it.
    createInterface({ input: child.stdout as NonNullable<ChildProcess['stdout']> }).on('line', (line) => {
      const logged = / (http|ftp|smtp|mqtt) [A-Z]+ \//.exec(line);
      if (logged?.[1] !== undefined) served[logged[1]] = (served[logged[1]] ?? 0) + 1;
      const match = /^\s+(http|smtp)\s+\w+:\/\/[^:]+:(\d+)/.exec(line);
      if (match?.[1] !== undefined) ports[match[1]] = Number(match[2]);
      if (ports.http !== undefined && ports.smtp !== undefined && match !== null) {
        clearTimeout(timer);
        resolve({ child, httpPort: ports.http, smtpPort: ports.smtp, served, kill });
      }
    });
  });
}
