/** What {@link withValuesGlued} needs to know of an option of `parseArgs`. */
export interface OptionShape {
  /** Whether the option takes a value. */
  readonly type: 'string' | 'boolean';
  /** Its one-letter form. */
  readonly short?: string;
}

/**
 * The arguments with the value of every option that takes one glued to it (`-d -1` becomes
 * `--data=-1`), so that a value starting with `-` is the option's value, as curl takes it,
 * rather than an error of `parseArgs`. Clusters of short options (`-sd -1`) are read the same
 * way; arguments after `--` are left alone, and so is an option missing its value.
 */
export function withValuesGlued(
  argv: readonly string[],
  options: Readonly<Record<string, OptionShape>>,
): string[] {
  const byShort = new Map<string, string>();
  for (const [name, shape] of Object.entries(options)) if (shape.short) byShort.set(shape.short, name);
  const glued: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i] as string;
    const next = argv[i + 1];
    if (argument === '--') {
      glued.push(...argv.slice(i));
      break;
    }
    const takesNext = next === undefined ? undefined : valueOptionAtEnd(argument, options, byShort);
    if (takesNext === undefined) {
      glued.push(argument);
      continue;
    }
    if (takesNext.before !== '') glued.push(takesNext.before);
    glued.push(`--${takesNext.name}=${next}`);
    i++;
  }
  return glued;
}

/**
 * The option taking a value that ends `argument` with its value still to come (`--data`,
 * `-d`, or `-sd` after the boolean `-s`), and the flags before it; `undefined` otherwise.
 */
function valueOptionAtEnd(
  argument: string,
  options: Readonly<Record<string, OptionShape>>,
  byShort: ReadonlyMap<string, string>,
): { name: string; before: string } | undefined {
  if (argument.startsWith('--')) {
    const name = argument.slice(2);
    return !name.includes('=') && options[name]?.type === 'string' ? { name, before: '' } : undefined;
  }
  if (!/^-[^-]/.test(argument)) return undefined;
  for (let at = 1; at < argument.length; at++) {
    const name = byShort.get(argument.charAt(at));
    if (name === undefined) return undefined;
    if (options[name]?.type !== 'string') continue;
    // A value glued in the cluster (`-d-1`, `-ofile`) is already where parseArgs looks.
    return at === argument.length - 1 ? { name, before: at === 1 ? '' : argument.slice(0, at) } : undefined;
  }
  return undefined;
}
