// Instructions and bytes allocated per round trip, counted rather than timed: bundles
// scenario.ts to plain JavaScript, runs it under `valgrind --tool=callgrind` with `node
// --single-threaded` (so garbage collection counts too) once with W warm-up calls and none
// counted and once with W + M, and divides the difference by M. Compilation by the JIT that still
// happens during the counted calls is reported apart (it varies from run to run and fades with a
// longer warm-up). Keep the warm-up long: after 2000 calls part of Parley's code still runs
// unoptimised (a WebSocket round trip counted 100-125k instructions). Even after 8000 the count
// is not steady for WebSocket: two runs of the same code gave 69k and 99k in all (the code before
// them 68k; the loop by hand 74k), as how many event-loop turns a call takes depends on timing
// (writes are batched per turn), so repeat runs before reading a difference into them. Then runs
// the scenario without valgrind under V8's sampling heap profiler for the bytes allocated per
// call, which repeat to about 1% between runs.
// Run: node --import tsx bench/profile/count.ts <ws|mqtt|http> <parley|hand> [warm-up=8000] [counted=8000]
// (PROFILE_HEAP_ONLY=1 skips callgrind; PROFILE_TOP=N lists the N functions that ran the most
// instructions per call; mqtt starts a mosquitto of its own)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../lib/bundle.js';
import { startMosquitto } from '../mqtt/brokers.js';
import { type Instructions, readCallgrind } from './callgrind-self.js';

const [transport = 'ws', kind = 'parley', warmup = '8000', counted = '8000'] = process.argv.slice(2);
const script = await bundle(
  fileURLToPath(new URL('./scenario.ts', import.meta.url)),
  fileURLToPath(new URL(`.build/scenario-${process.pid}.mjs`, import.meta.url)),
  { external: ['mqtt', 'aedes', 'ws'] },
);
const broker = transport === 'mqtt' ? await startMosquitto() : undefined;
const dir = mkdtempSync(join(tmpdir(), 'parley-callgrind-'));
const args = (n: string): string[] => [script, transport, kind, warmup, n, ...(broker ? [broker.url] : [])];

/** What callgrind counted over a run of the scenario with `n` counted calls. */
function instructions(n: string): Instructions {
  const out = join(dir, `callgrind-${n}.out`);
  const run = spawnSync(
    'valgrind',
    ['--tool=callgrind', `--callgrind-out-file=${out}`, process.execPath, '--single-threaded', ...args(n)],
    { encoding: 'utf8', maxBuffer: 64 << 20, cwd: dir },
  );
  if (run.status !== 0) throw new Error(`callgrind failed:\n${run.stderr.slice(-2000)}`);
  return readCallgrind(out);
}

try {
  if (process.env.PROFILE_HEAP_ONLY !== '1') {
    const base = instructions('0');
    const total = instructions(counted);
    const per = (count: number): string => `${(count / Number(counted) / 1000).toFixed(1)}k`;
    const running = total.total - total.compiling - (base.total - base.compiling);
    console.log(
      `${transport} ${kind}: ${per(running)} instructions per call, and ${per(total.compiling - base.compiling)} compiling`,
    );
    const top = Number(process.env.PROFILE_TOP ?? 0);
    if (top > 0) {
      const counts = [...total.byFunction].map(([name, n]): [string, number] => [
        name,
        n - (base.byFunction.get(name) ?? 0),
      ]);
      for (const [name, n] of counts.sort((a, b) => b[1] - a[1]).slice(0, top))
        console.log(`  ${per(n).padStart(8)}  ${name}`);
    }
  }
  const heap = spawnSync(process.execPath, [...args(counted), '--heap'], { encoding: 'utf8' });
  console.log(`${transport} ${kind}: ${heap.stdout.trim()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  await broker?.stop();
}
