import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createClient } from '@parley/core';
import { mqtt } from '@parley/mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lengthPrefixed, remainingLength } from '../../../test/support/mqtt-packets.js';

const script = fileURLToPath(new URL('./fixtures/broker-server.ts', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));
const MB = 1024 * 1024;

/** The peak resident memory of a process, in bytes (VmHWM). */
function peakRss(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
  return Number(line?.[1]) * 1024;
}

/** A 3.1.1 CONNECT, then a PUBLISH announcing `size` bytes whose payload is streamed until the broker closes the connection; the bytes written. */
function publishHuge(port: number, size: number): Promise<number> {
  const connectBody = Buffer.concat([
    lengthPrefixed('MQTT'),
    Buffer.from([4, 2, 0, 60]),
    lengthPrefixed(`huge-${size}`),
  ]);
  const topic = lengthPrefixed('big/PUT/notes/huge');
  const header = Buffer.concat([Buffer.from([0x30]), remainingLength(topic.length + size), topic]);
  const chunk = Buffer.alloc(MB, 0x61);
  return new Promise((resolve) => {
    let written = 0;
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        Buffer.concat([Buffer.from([0x10]), remainingLength(connectBody.length), connectBody, header]),
      );
      const pump = (): void => {
        while (written < size && !socket.destroyed) {
          written += chunk.length;
          if (!socket.write(chunk)) {
            socket.once('drain', pump);
            return;
          }
        }
        socket.end();
      };
      pump();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => resolve(written));
  });
}

describe('packet size on the embedded broker', () => {
  let child: ChildProcess;
  let url: string;
  beforeAll(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the broker did not start')), 30_000);
      child.stdout?.on('data', (data: Buffer) => {
        const ready = /ready (\S+)/.exec(data.toString());
        if (ready) {
          clearTimeout(timer);
          resolve(ready[1] as string);
        }
      });
      child.once('exit', (code) => reject(new Error(`the broker exited with ${code}`)));
    });
  }, 40_000);
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('three 200 MB publishes add under 300 MB to the process and it keeps answering', async () => {
    const pid = child.pid as number;
    const before = peakRss(pid);
    const port = Number(new URL(url).port);
    for (let i = 0; i < 3; i++) {
      const written = await publishHuge(port, 200 * MB);
      expect(written).toBeLessThan(200 * MB); // closed before the payload was all read
    }
    const grown = peakRss(pid) - before;
    console.log(`peak RSS grew by ${(grown / MB).toFixed(1)} MB (from ${(before / MB).toFixed(1)} MB)`);
    expect(grown).toBeLessThan(300 * MB);
    await using client = createClient(mqtt(`${url}/big`));
    const response = await client.put('/notes/small.txt', Buffer.alloc(1000));
    expect(await response.body.text()).toBe('stored 1000');
  }, 120_000);
});
