import { existsSync, readFileSync, rmSync } from 'node:fs';

/**
 * Names callgrind's unnamed JIT code (`0x...`) from V8's perf map (`start size name` lines);
 * names callgrind knows stay as they are.
 */
export function jitNames(mapFile: string): (name: string) => string {
  if (!existsSync(mapFile)) return (name) => name;
  const entries = readFileSync(mapFile, 'utf8')
    .split('\n')
    .map((line) => /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({
      start: Number.parseInt(match[1] as string, 16),
      size: Number.parseInt(match[2] as string, 16),
      name: match[3] as string,
    }))
    .sort((a, b) => a.start - b.start);
  rmSync(mapFile, { force: true });
  return (name) => {
    const match = /^0x([0-9a-f]+)/.exec(name);
    if (match === null) return name;
    const address = Number.parseInt(match[1] as string, 16);
    let low = 0;
    let high = entries.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const entry = entries[middle] as { start: number; size: number; name: string };
      if (address < entry.start) high = middle - 1;
      else if (address >= entry.start + entry.size) low = middle + 1;
      else return entry.name;
    }
    return name;
  };
}
