import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runningJestMajor } from './jest-major';

describe('runningJestMajor', () => {
  const repo = path.resolve(__dirname, '..', '..');

  test("reads the major of the @jest/core that the process loaded, wherever the working directory's jest is", () => {
    const core = path.join(repo, 'node_modules', '@jest', 'core', 'build', 'index.js');
    const version = (require(path.join(repo, 'node_modules', '@jest', 'core', 'package.json')) as { version: string }).version;
    expect(runningJestMajor([path.join(repo, 'src', 'x.js'), core])).toBe(Number(version.split('.')[0]));
  });

  test('a loaded @jest/core of another major wins over the default', () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-major-')), 'node_modules', '@jest', 'core');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), '{ "name": "@jest/core", "version": "29.7.0" }');
    const fake = path.join(dir, 'build', 'index.js');
    expect(runningJestMajor([fake])).toBe(29);
  });

  test('30 when no @jest/core is loaded', () => {
    expect(runningJestMajor([path.join(repo, 'src', 'x.js')])).toBe(30);
  });
});
