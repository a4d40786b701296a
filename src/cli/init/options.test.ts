import { errorOf } from '../../../__tests__/support/thrown';
import { parseInitArgs } from './options';

describe('parseInitArgs', () => {
  test('every flag, --cwd resolved from the current directory', () => {
    expect(parseInitArgs([], '/work')).toEqual({ cwd: '/work', dryRun: false, force: false, workflows: true, agent: false });
    expect(parseInitArgs(['--cwd', 'packages/api', '--dry-run', '--force', '--no-workflows', '--agent'], '/work')).toEqual({ cwd: '/work/packages/api', dryRun: true, force: true, workflows: false, agent: true });
    expect(parseInitArgs(['--cwd=/abs'], '/work')).toMatchObject({ cwd: '/abs' });
    expect(parseInitArgs(['-h'], '/work')).toBe('help');
  });

  test('an unknown option is an ERR_CHAOS_CONFIG error that lists --agent among the valid options', () => {
    const error = errorOf(() => parseInitArgs(['--agnet'], '/work'));
    expect([error.code, error.message]).toEqual([
      'ERR_CHAOS_CONFIG',
      'jest-chaos: unknown option "--agnet" in the jest-chaos init command line. Valid options: --cwd <dir>, --dry-run, --force, --no-workflows, --agent, --help (-h). Did you mean "--agent"?',
    ]);
  });
});
