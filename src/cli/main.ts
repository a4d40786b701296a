#!/usr/bin/env node
/** `npx jest-chaos <command>`: the package's command line. */
import { packageVersion } from '../report/version';

type Command = (argv: readonly string[]) => Promise<number>;

const commands: Record<string, { summary: string; load: () => Command }> = {
  merge: { summary: 'merge shard reports into one and print the chaos summary', load: () => (require('./merge') as { run: Command }).run },
  init: { summary: 'add jest-chaos to this project\'s Jest config and CI', load: () => (require('./init') as { run: Command }).run },
  scan: { summary: 'find the failure scenarios of this project and rank the untested ones A/B/C', load: () => (require('./scan') as { run: Command }).run },
  check: { summary: 'compile every chaos suite with the project\'s Jest transform, without running it', load: () => (require('./check') as { run: Command }).run },
  export: { summary: 'print the tcp.* rules of chaos suites as toxiproxy proxies and toxics (--toxiproxy)', load: () => (require('./export') as { run: Command }).run },
};

function usage(): string {
  const lines = ['Usage: jest-chaos <command> [options]', '', 'Commands:'];
  for (const [name, { summary }] of Object.entries(commands)) lines.push(`  ${name.padEnd(8)}${summary}`);
  lines.push('', 'Options:', '  -v, --version  print the version of jest-chaos', '  -h, --help     print this help');
  lines.push('', 'Run `jest-chaos <command> --help` for the options of a command.');
  return lines.join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const command = commands[name];
  if (command === undefined) {
    process.stderr.write(`jest-chaos: unknown command "${name}".\n\n${usage()}\n`);
    return 1;
  }
  return command.load()(rest);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
