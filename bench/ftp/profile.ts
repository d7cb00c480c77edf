/**
 * Profiles the Parley FTP server under the benchmark's transfers: `profile.ts <out-dir> [peer]`
 * starts the server (bench/ftp/parley-server.ts, or bare-server.ts with `bare[:chunkBytes]`) with
 * `node --cpu-prof`, runs RETR and STOR of a 128 MiB file three times each (basic-ftp, as the
 * benchmark), stops it and prints the self time of its hottest functions. Environment:
 * BENCH_FTP_PROFILE=retr|stor|logins to run one part only.
 */

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../lib/bundle.js';
import { cpuSeconds, memoryMiB } from '../lib/proc.js';
import type { Peer } from './peers.js';
import { loginsAndDownloads, retr, stor } from './transfers.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const MIB = 1024 * 1024;
const [out = join(tmpdir(), 'parley-ftp-profile'), which = 'parley'] = process.argv.slice(2);
const part = process.env.BENCH_FTP_PROFILE;

const root = mkdtempSync(join(tmpdir(), 'parley-ftp-profile-'));
writeFileSync(join(root, 'large.bin'), Buffer.concat(Array.from({ length: 128 }, () => randomBytes(MIB))));
writeFileSync(join(root, 'small.bin'), randomBytes(10 * MIB));
const bare = which.startsWith('bare');
const script = bare ? 'bare-server.ts' : 'parley-server.ts';
const bundled = await bundle(join(HERE, script), join(root, '.bundle', script.replace(/\.ts$/, '.mjs')));
const profiling = process.env.BENCH_FTP_NOPROF === undefined ? ['--cpu-prof', '--cpu-prof-dir', out] : [];
const args = [...profiling, bundled, root, ...(bare ? [which.split(':')[1] ?? String(MIB)] : [])];
const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = (await once(child.stdout, 'data')) as [Buffer];
const peer: Peer = { name: which, port: Number(/"port":\s*(\d+)/.exec(line.toString())?.[1]), child };
const cpuBefore = cpuSeconds(child.pid);
try {
  for (let round = 0; round < 3; round++) {
    if (part === undefined || part === 'retr')
      console.log('RETR MB/s', (await retr(peer, 'large.bin', 128 * MIB)).toFixed(0));
    if (part === undefined || part === 'stor')
      console.log('STOR MB/s', (await stor(peer, join(root, 'large.bin'), 'up.bin', 128 * MIB)).toFixed(0));
    if (part === 'logins') {
      const { seconds, rssWhileConnected } = await loginsAndDownloads(peer, 100, 'small.bin');
      console.log(
        `logins ${seconds.toFixed(2)} s, VmRSS ${rssWhileConnected.toFixed(0)} MiB, VmHWM ${memoryMiB(child.pid, 'VmHWM').toFixed(0)} MiB`,
      );
    }
  }
} catch (error) {
  child.kill('SIGTERM');
  throw error;
}
console.log(
  `server VmRSS ${memoryMiB(child.pid, 'VmRSS').toFixed(0)} MiB, VmHWM ${memoryMiB(child.pid, 'VmHWM').toFixed(0)} MiB`,
);
const gib = ((part === undefined ? 2 : 1) * 3 * 128) / 1024;
console.log(`server CPU ${((cpuSeconds(child.pid) - cpuBefore) / gib).toFixed(2)} s/GiB moved`);
child.kill('SIGTERM');
await once(child, 'exit');
rmSync(root, { recursive: true, force: true });

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
const file = readdirSync(out)
  .filter((name) => name.endsWith('.cpuprofile'))
  .sort()
  .at(-1) as string;
const profile = JSON.parse(readFileSync(join(out, file), 'utf8')) as {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
};
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, index) => {
  const frame = (byId.get(id) as Node).callFrame;
  const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`;
  const delta = profile.timeDeltas[index] ?? 0;
  self.set(key, (self.get(key) ?? 0) + delta);
  total += delta;
});
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled`);
for (const [key, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
  console.log(
    `${((micros / total) * 100).toFixed(1).padStart(5)}%  ${(micros / 1e3).toFixed(0).padStart(6)} ms  ${key}`,
  );
}
