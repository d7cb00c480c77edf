import type { ChildProcess } from 'node:child_process';

/** One server of an A/B comparison, with what each round measured of it. */
export interface AbServer {
  readonly name: string;
  readonly port: number;
  readonly child: ChildProcess;
  readonly rates: number[];
  readonly cpu: number[];
}

/** What one round's load measured: work items per second and server CPU µs per item. */
export interface AbMeasure {
  readonly rate: number;
  readonly cpu: number;
}

/**
 * Runs `rounds` rounds of `load` over the servers, in reverse order every other round, records
 * each measure on its server and prints it (`unit` names the item, `digits` the CPU decimals).
 */
export async function abRounds<S extends AbServer>(
  servers: readonly S[],
  rounds: number,
  load: (server: S) => Promise<AbMeasure>,
  unit: string,
  digits: number,
): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? servers : [...servers].reverse();
    for (const server of order) {
      const { rate, cpu } = await load(server);
      server.rates.push(rate);
      server.cpu.push(cpu);
      console.log(
        `round ${round} ${server.name.padEnd(40)} ${rate.toFixed(0)} ${unit}/s, CPU ${cpu.toFixed(digits)} µs/${unit}`,
      );
    }
  }
}
