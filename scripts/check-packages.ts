// Checks Parley's packages as a user gets them: packs each publishable package with `pnpm pack`,
// installs the tarballs with npm into a fresh project, type-checks a program that uses every
// package under the strictest settings (exactOptionalPropertyTypes, no skipLibCheck, no DOM
// types) with moduleResolution node16 and bundler, runs an ESM and a CJS script, and runs
// @arethetypeswrong/cli and publint on each tarball. Needs a build first (`pnpm build`).
//
//   node --import tsx scripts/check-packages.ts [--keep]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSUMER_CJS, CONSUMER_ESM, CONSUMER_TS } from './consumer-sources.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string): string => join(root, 'node_modules', '.bin', name);
const keep = process.argv.includes('--keep');

function run(command: string, args: readonly string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${failed.stdout ?? ''}${failed.stderr ?? ''}`,
    );
  }
}

/** The publishable packages: every packages/* whose package.json is not private. */
function publishable(): { name: string; dir: string }[] {
  return readdirSync(join(root, 'packages'))
    .map((entry) => join(root, 'packages', entry))
    .filter((dir) => statSync(join(dir, 'package.json'), { throwIfNoEntry: false }) !== undefined)
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir, manifest }) => ({ name: manifest.name as string, dir }));
}

function pack(dir: string, into: string): string {
  const before = new Set(readdirSync(into));
  run('pnpm', ['pack', '--pack-destination', into], dir);
  const made = readdirSync(into).find((file) => !before.has(file) && file.endsWith('.tgz'));
  if (made === undefined) throw new Error(`pnpm pack made no tarball in ${dir}`);
  return join(into, made);
}

function checkTarball(tarball: string): void {
  const listing = run('tar', ['tzf', tarball], root).split('\n');
  const maps = listing.filter((file) => file.endsWith('.map'));
  if (maps.length > 0) throw new Error(`${tarball} carries source maps: ${maps.slice(0, 3).join(', ')}`);
  if (!listing.includes('package/README.md')) throw new Error(`${tarball} has no README.md`);
  // attw: node10 resolution is not supported on purpose (Node 20 is the floor).
  console.log(
    run(bin('attw'), ['--pack', tarball, '--profile', 'node16', '--format', 'table-flipped'], root),
  );
  console.log(run(bin('publint'), ['--strict', tarball], root));
}

function tsconfig(resolution: 'node16' | 'bundler'): string {
  return JSON.stringify({
    compilerOptions: {
      strict: true,
      exactOptionalPropertyTypes: true,
      noImplicitReturns: true,
      skipLibCheck: false,
      lib: ['es2022'],
      types: ['node'],
      target: 'es2022',
      module: resolution === 'node16' ? 'node16' : 'esnext',
      moduleResolution: resolution,
      noEmit: true,
    },
    files: resolution === 'node16' ? ['app.mts', 'app.cts'] : ['app.mts'],
  });
}

function main(): void {
  const work = mkdtempSync(join(tmpdir(), 'parley-packed-'));
  try {
    const tarballs = publishable().map(({ name, dir }) => ({ name, tarball: pack(dir, work) }));
    for (const { tarball } of tarballs) checkTarball(tarball);
    const project = join(work, 'consumer');
    run('mkdir', ['-p', project], work);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    const typescript = JSON.parse(
      readFileSync(join(root, 'node_modules/typescript/package.json'), 'utf8'),
    ).version;
    const installs = [
      ...tarballs.map(({ tarball }) => tarball),
      `typescript@${typescript}`,
      '@types/node@20',
    ];
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...installs], project);
    writeFileSync(join(project, 'app.mts'), CONSUMER_TS);
    writeFileSync(
      join(project, 'app.cts'),
      `import type { Status } from '@parley/core';\nexport const ok: Status = 'ok';\n`,
    );
    for (const resolution of ['node16', 'bundler'] as const) {
      writeFileSync(join(project, `tsconfig.${resolution}.json`), tsconfig(resolution));
      run(join(project, 'node_modules/.bin/tsc'), ['-p', `tsconfig.${resolution}.json`], project);
      console.log(`tsc --strict --exactOptionalPropertyTypes, moduleResolution ${resolution}: ok`);
    }
    writeFileSync(join(project, 'esm.mjs'), CONSUMER_ESM);
    writeFileSync(join(project, 'cjs.cjs'), CONSUMER_CJS);
    console.log(run('node', ['esm.mjs'], project).trim());
    console.log(run('node', ['cjs.cjs'], project).trim());
    console.log(`Checked ${tarballs.map(({ name }) => name).join(', ')}`);
  } finally {
    if (keep) console.log(`Kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

main();
