import { benchServers, reportServers } from './server-bench.js';

const kinds = (process.env.KINDS ?? 'parley,node').split(',');
reportServers(
  await benchServers({
    rounds: Number(process.env.ROUNDS ?? 4),
    seconds: Number(process.env.SECS ?? 3),
    kinds,
  }),
);
