import { cpus, loadavg, release, totalmem } from 'node:os';

/** What the benchmarks ran on. */
export interface Machine {
  /** CPU model name. */
  readonly cpu: string;
  /** Logical cores. */
  readonly cores: number;
  /** Memory, in GiB. */
  readonly memoryGiB: number;
  /** Operating system and kernel. */
  readonly os: string;
  /** Node version. */
  readonly node: string;
  /** 1, 5 and 15 minute load averages when the run began. */
  readonly load: readonly number[];
}

/** Describes this machine now. */
export function describeMachine(): Machine {
  const all = cpus();
  return {
    cpu: all[0]?.model.trim() ?? 'unknown',
    cores: all.length,
    memoryGiB: totalmem() / 1024 ** 3,
    os: `${process.platform} ${release()}`,
    node: process.version,
    load: loadavg(),
  };
}
