import { readFileSync } from 'node:fs';

/** Functions whose instructions are the JIT compiling code rather than running it. */
const COMPILING =
  /compiler::|Compil|(?<!Json)Parser|Scanner|[Mm]aglev|Bytecode|[Bb]aseline|Sparkplug|Zone|LiveRange|RegisterAlloc|Instruction|Turbo|interpreter::|Deoptimiz|SourcePosition|JSHeapBroker|ObjectData|Assembler|RelocInfo/;

/** Instructions of a callgrind run, split into compiling and the rest. */
export interface Instructions {
  readonly total: number;
  readonly compiling: number;
  /** Self instructions per function name. */
  readonly byFunction: ReadonlyMap<string, number>;
}

/**
 * Reads a callgrind output file (`--callgrind-out-file`) into the self instructions of each
 * function (the inclusive cost lines after `calls=` are skipped), and totals them.
 */
export function readCallgrind(file: string): Instructions {
  const names = new Map<string, string>();
  const byFunction = new Map<string, number>();
  let fn = '?';
  let afterCall = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('fn=')) {
      fn = nameOf(names, line.slice(3));
    } else if (line.startsWith('cfn=')) {
      nameOf(names, line.slice(4));
    } else if (line.startsWith('calls=')) {
      afterCall = true;
    } else if (/^[+-]?\d|^\*/.test(line)) {
      if (afterCall) afterCall = false;
      else byFunction.set(fn, (byFunction.get(fn) ?? 0) + Number(line.trim().split(/\s+/)[1] ?? 0));
    }
  }
  let total = 0;
  let compiling = 0;
  for (const [name, count] of byFunction) {
    total += count;
    if (COMPILING.test(name)) compiling += count;
  }
  return { total, compiling, byFunction };
}

/** A name in callgrind's compressed form: `(id) name` the first time, `(id)` after. */
function nameOf(names: Map<string, string>, text: string): string {
  const match = /^\((\d+)\)(?: (.*))?$/.exec(text);
  if (match === null) return text;
  const [, id = '', name] = match;
  if (name !== undefined) names.set(id, name);
  return names.get(id) ?? text;
}
