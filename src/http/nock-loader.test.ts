import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { errorOf } from '../../__tests__/support/thrown';
import { loadNock, nockVersionAt } from './nock-loader';

/** A project directory whose node_modules holds a package named nock of the given version and exports. */
function projectWithNock(version: string, manifest: object = {}): string {
  const root = mkdtempSync(path.join(tmpdir(), 'nock-loader-'));
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0' }));
  const dir = path.join(root, 'node_modules', 'nock');
  mkdirSync(path.join(dir, 'lib'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'nock', version, main: 'lib/index.js', ...manifest }));
  writeFileSync(path.join(dir, 'lib', 'index.js'), 'module.exports = function nock() {};\n');
  return root;
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('nockVersionAt', () => {
  test('reads the version of a nock that does not export its package.json', () => {
    const root = projectWithNock('15.0.6', { exports: { '.': './lib/index.js' } });
    made.push(root);
    expect(nockVersionAt(path.join(root, 'node_modules', 'nock', 'lib', 'index.js'))).toBe('15.0.6');
  });
});

describe('loadNock', () => {
  test("uses the project's nock 15 even when its package.json is not exported", () => {
    const root = projectWithNock('15.0.6', { exports: { '.': './lib/index.js' } });
    made.push(root);
    const loaded = loadNock(root);
    expect({ version: loaded.version, fromProject: loaded.fromProject }).toEqual({ version: '15.0.6', fromProject: true });
    loaded.dispose?.();
  });

  test("a project's nock of an unsupported major is an error naming it and what to do, not a second copy", () => {
    const root = projectWithNock('13.5.6');
    made.push(root);
    const error = errorOf(() => loadNock(root));
    expect(error.message).toContain(`this project's nock (${path.join(root, 'node_modules', 'nock', 'lib', 'index.js')}) cannot be used: it is nock 13.5.6.`);
    expect(error.message).toContain('install one of them (npm i -D nock@14)');
  });

  test("a project's nock that fails to load is an error with the cause", () => {
    const root = projectWithNock('14.0.5');
    made.push(root);
    writeFileSync(path.join(root, 'node_modules', 'nock', 'lib', 'index.js'), "throw new Error('boom');\n");
    expect(errorOf(() => loadNock(root)).message).toContain('loading nock 14.0.5 failed with boom');
  });

  test('a project without nock gets the nock that ships with jest-chaos', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'nock-loader-'));
    made.push(root);
    const loaded = loadNock(root);
    expect(loaded.fromProject).toBe(false);
    expect(loaded.version).toMatch(/^14\./);
  });
});
