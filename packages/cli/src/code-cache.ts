import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { constants, Script } from 'node:vm';

/** Set to `0` to compile every module from source (no code cache read or written). */
export const CODE_CACHE_ENV = 'PARLEY_CODE_CACHE';

/** The longest cache file name kept (file systems take 255 bytes). */
const MAX_NAME = 240;

type Compile = (this: Module, content: string, filename: string) => unknown;

interface LoaderInternals {
  _resolveFilename(request: string, parent: Module, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: Module): string[] | null;
  _extensions: unknown;
  _cache: unknown;
  wrap(content: string): string;
  prototype: { _compile: Compile };
}

/**
 * Compiles the CommonJS modules the command loads from then on (its own chunks, the transports,
 * undici, basic-ftp...) with a V8 code cache kept per user in `$XDG_CACHE_HOME/parley` (or
 * `~/.cache/parley`): a module whose cache V8 accepts is neither parsed nor compiled again, its
 * functions included, as the cache is written when the process exits, after they ran. Each entry
 * is named by the file's path, size, inode and times and by the Node.js version, written to a
 * temporary file and renamed; one V8 refuses is written again. Without a home folder, or with
 * `PARLEY_CODE_CACHE=0`, nothing is cached.
 */
export function cacheCompiledCode(): void {
  if (process.env[CODE_CACHE_ENV] === '0') return;
  const folder = cacheFolder();
  if (folder === undefined) return;
  const loader = Module as unknown as LoaderInternals;
  const compileFromSource = loader.prototype._compile;
  const unsaved: { file: string; script: Script }[] = [];
  loader.prototype._compile = function compileCached(this: Module, content: string, filename: string) {
    const file = entryFile(folder, filename);
    if (file === undefined) return compileFromSource.call(this, content, filename);
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(file);
    } catch {}
    const source = content.startsWith('#!') ? `//${content.slice(2)}` : content;
    let script: Script;
    try {
      script = new Script(loader.wrap(source), {
        filename,
        cachedData,
        importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER as never,
      });
    } catch {
      // Not CommonJS (an ES module Node.js loads through require), or an error it reports itself.
      return compileFromSource.call(this, content, filename);
    }
    if (cachedData === undefined || script.cachedDataRejected === true) unsaved.push({ file, script });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(
      this.exports,
      this.exports,
      requireFor(this, loader),
      this,
      filename,
      dirname(filename),
    );
  };
  // V8 stamps a cache with the flags that shape code and refuses it under others; the command
  // sets `--liftoff-only` when undici is about to connect (see memory.ts): what was compiled
  // before is saved then, under the flags it will be loaded with next time.
  const beforeFlags = (): void => {
    unsubscribe(UNDICI_CONNECTING, beforeFlags);
    save(folder, unsaved.splice(0));
  };
  subscribe(UNDICI_CONNECTING, beforeFlags);
  process.once('exit', () => save(folder, unsaved));
}

/** undici's diagnostics channel published before each connection it opens. */
const UNDICI_CONNECTING = 'undici:client:beforeConnect';

/** The `require` a module's code is given, as Node.js makes it. */
function requireFor(module: Module, loader: LoaderInternals): NodeJS.Require {
  const require = ((id: string) => module.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: unknown) =>
    loader._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => loader._resolveLookupPaths(request, module);
  require.resolve = resolve;
  require.main = process.mainModule;
  require.extensions = loader._extensions as NodeJS.RequireExtensions;
  require.cache = loader._cache as NodeJS.Dict<NodeModule>;
  return require;
}

function cacheFolder(): string | undefined {
  const base = process.env.XDG_CACHE_HOME || (homedir() ? join(homedir(), '.cache') : '');
  if (base === '') return undefined;
  return join(base, 'parley', `code-${process.version}-${process.arch}`);
}

/** The cache file of a module: its path and what changes when the file does, or undefined. */
function entryFile(folder: string, filename: string): string | undefined {
  try {
    const stat = statSync(filename);
    const name = `${filename.replaceAll('%', '%25').replaceAll('/', '%2F')}-${stat.size}-${stat.ino}-${stat.mtimeMs}-${stat.ctimeMs}`;
    return name.length > MAX_NAME ? undefined : join(folder, name);
  } catch {
    return undefined;
  }
}

/** Writes the code of the modules compiled without an accepted cache, each to a temporary file renamed. */
function save(folder: string, unsaved: readonly { file: string; script: Script }[]): void {
  if (unsaved.length === 0) return;
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    for (const { file, script } of unsaved) {
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
      renameSync(temporary, file);
    }
  } catch {
    // A cache that cannot be written is only a slower start next time.
  }
}
