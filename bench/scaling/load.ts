import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Client, createClient, isSuccess, ParleyError, type Response, type Status } from '@parley/core';
import { http } from '@parley/http';
import { mqtt } from '@parley/mqtt';
import { smtp } from '@parley/smtp';

/** The protocols the load goes through. */
export const PROTOCOLS = ['http', 'smtp', 'mqtt'] as const;
/** One of {@link PROTOCOLS}. */
export type Protocol = (typeof PROTOCOLS)[number];

/** Outcomes a client may retry: no answer, or an answer saying try again. */
const RETRYABLE: ReadonlySet<Status> = new Set<Status>(['unavailable', 'timeout', 'too_many_requests']);

/** Where the load goes. */
export interface LoadTargets {
  readonly httpUrl: string;
  readonly smtpUrl: string;
  readonly mqttUrl: string;
}

/** Options of {@link runLoad}. */
export interface LoadOptions {
  /** How long to write, in seconds. */
  readonly seconds: number;
  /** Writers in flight per protocol. */
  readonly concurrency: Readonly<Record<Protocol, number>>;
  /** Something to do meanwhile (a process killed), `afterSeconds` into the load. */
  readonly meanwhile?: { readonly afterSeconds: number; readonly action: () => Promise<void> };
  /** Distinguishes the note names of one load from another's. */
  readonly tag: string;
}

/** What a load did. */
export interface LoadTally {
  /** Acknowledged writes: note name to content. */
  readonly acked: Map<string, string>;
  /** Acknowledged writes per protocol. */
  readonly ackedBy: Record<Protocol, number>;
  /** Writes that failed in a way a client may retry (no answer, unavailable, timeout). */
  retryable: number;
  /** Any other outcome, described: each one is a fault. */
  readonly faults: string[];
  /** Wall time of the load, in seconds. */
  seconds: number;
  /** CPU seconds the load generator (this process) used. */
  loaderCpu: number;
}

/**
 * Writes notes with unique names through the three protocols at once for `seconds`: HTTP
 * `PUT /notes/<name>`, SMTP mail to `/notes` with the name as subject, MQTT `PUT`. Clients do
 * not retry (retries: 0), so every outcome is counted as it came.
 */
export async function runLoad(targets: LoadTargets, options: LoadOptions): Promise<LoadTally> {
  const common = { retries: 0, timeoutMs: 5000 };
  const clients: Record<Protocol, Client> = {
    http: createClient(http(targets.httpUrl, { connections: options.concurrency.http }), common),
    smtp: createClient(smtp(targets.smtpUrl), common),
    mqtt: createClient(mqtt(targets.mqttUrl), common),
  };
  const writers: Record<Protocol, (name: string, content: string) => Promise<Response>> = {
    http: (name, content) => clients.http.put(`/notes/${name}`, content),
    smtp: (name, content) => clients.smtp.post('/notes', content, { headers: { subject: name } }),
    mqtt: (name, content) => clients.mqtt.put(`/notes/${name}`, content),
  };
  const tally: LoadTally = {
    acked: new Map(),
    ackedBy: { http: 0, smtp: 0, mqtt: 0 },
    retryable: 0,
    faults: [],
    seconds: 0,
    loaderCpu: 0,
  };
  const started = performance.now();
  const until = started + options.seconds * 1000;
  const worker = async (protocol: Protocol, index: number): Promise<void> => {
    for (let seq = 0; performance.now() < until; seq++) {
      const name = `${options.tag}-${protocol}-${index}-${seq}.txt`;
      const content = `note ${name} written over ${protocol}\n`;
      const outcome = await writers[protocol](name, content).then(
        async (response) => {
          await response.body.cancel();
          return response.status;
        },
        (error: unknown) => ParleyError.from(error).status,
      );
      if (isSuccess(outcome)) {
        tally.acked.set(name, content);
        tally.ackedBy[protocol]++;
      } else if (RETRYABLE.has(outcome)) tally.retryable++;
      else tally.faults.push(`${protocol} ${name}: ${outcome}`);
    }
  };
  const cpu = process.cpuUsage();
  const meanwhile = options.meanwhile;
  const side =
    meanwhile === undefined
      ? Promise.resolve()
      : new Promise((resolve) => setTimeout(resolve, meanwhile.afterSeconds * 1000)).then(meanwhile.action);
  try {
    await Promise.all([
      side,
      ...PROTOCOLS.flatMap((protocol) =>
        Array.from({ length: options.concurrency[protocol] }, (_, index) => worker(protocol, index)),
      ),
    ]);
  } finally {
    await Promise.all(PROTOCOLS.map((protocol) => clients[protocol].close()));
  }
  const used = process.cpuUsage(cpu);
  tally.seconds = (performance.now() - started) / 1000;
  tally.loaderCpu = (used.user + used.system) / 1e6;
  return tally;
}

/** The acknowledged notes that are not in `dataDir` with the content written (none: nothing lost). */
export async function missingNotes(dataDir: string, acked: ReadonlyMap<string, string>): Promise<string[]> {
  const missing: string[] = [];
  for (const [name, content] of acked) {
    const found = await readFile(join(dataDir, name), 'utf8').catch(() => undefined);
    if (found !== content) missing.push(`${name}: ${found === undefined ? 'absent' : 'different content'}`);
  }
  return missing;
}
