#!/usr/bin/env node
import { readVersion } from './version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // The fast path: nothing else is loaded.
  process.stdout.write(`parley ${readVersion()}\n`);
} else {
  void import('./memory.js').then(async ({ tuneProcessForTransfers }) => {
    // As curl does for -u: the passwords of the command line are not left for `ps` to show.
    const { commandLineWithoutSecrets } = await import('./hidden-secrets.js');
    process.title = commandLineWithoutSecrets(argv);
    tuneProcessForTransfers();
    const { runCli } = await import('./run.js');
    process.exitCode = await runCli(argv, process);
  });
}
