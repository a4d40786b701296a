import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { main } from './main';

const ROOT = path.join(__dirname, '..', '..');
const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** What main() wrote to stdout and stderr, and its exit code. */
async function capture(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('jest-chaos --version', () => {
  test.each([['--version'], ['-v']])('%s prints the version of package.json and nothing else', async (flag) => {
    expect(await capture([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  test('the help lists it', async () => {
    const help = await capture(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('  -v, --version  print the version of jest-chaos\n');
  });

  // The bin that `npx jest-chaos` runs: the build of this file (npm test builds before it runs Jest).
  test('the built bin prints it', () => {
    const bin = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
    const run = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  });
});
