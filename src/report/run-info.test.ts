import path from 'node:path';
import { jestVersion, sourceInfo, type GitCommand } from './run-info';

const SHA = '0123456789abcdef0123456789abcdef01234567';

function git(answers: Record<string, string | undefined>): GitCommand {
  return (args) => answers[args.join(' ')];
}

describe('sourceInfo', () => {
  test('git first: the commit and the branch of rootDir', () => {
    expect(sourceInfo('/p', { GITHUB_SHA: 'ci', GITHUB_REF_NAME: 'ci-branch' }, git({ 'rev-parse HEAD': SHA, 'rev-parse --abbrev-ref HEAD': 'feature/x' }))).toEqual({ commit: SHA, branch: 'feature/x' });
  });

  test('a detached HEAD (as CI checks out) takes its branch from the CI', () => {
    expect(sourceInfo('/p', { GITHUB_REF_NAME: 'main' }, git({ 'rev-parse HEAD': SHA, 'rev-parse --abbrev-ref HEAD': 'HEAD' }))).toEqual({ commit: SHA, branch: 'main' });
    expect(sourceInfo('/p', { GITHUB_HEAD_REF: 'pr-branch', GITHUB_REF_NAME: '12/merge' }, git({ 'rev-parse HEAD': SHA, 'rev-parse --abbrev-ref HEAD': 'HEAD' })).branch).toBe('pr-branch');
  });

  test.each([
    [{ GITHUB_SHA: 'g1', GITHUB_REF_NAME: 'main' }, { commit: 'g1', branch: 'main' }],
    [{ CI_COMMIT_SHA: 'l1', CI_COMMIT_REF_NAME: 'dev' }, { commit: 'l1', branch: 'dev' }],
    [{ GITHUB_SHA: ' ', CI_COMMIT_SHA: 'l2' }, { commit: 'l2', branch: null }],
    [{}, { commit: null, branch: null }],
  ])('without git, the CI variables %j', (env, expected) => {
    expect(sourceInfo('/p', env, git({}))).toEqual(expected);
  });

  test('the real git of this repository', () => {
    const info = sourceInfo(path.join(__dirname, '..', '..'), {});
    expect(info.commit).toMatch(/^[0-9a-f]{40}$/);
  });
});

test('jestVersion: the package of the running jest binary, else what cwd resolves, else null', () => {
  const own = (require('jest/package.json') as { version: string }).version;
  expect(jestVersion(require.resolve('jest/bin/jest'), '/')).toBe(own);
  expect(jestVersion('/nowhere/bin/jest.js', path.join(__dirname, '..', '..'))).toBe(own);
  expect(jestVersion(undefined, '/')).toBeNull();
});
