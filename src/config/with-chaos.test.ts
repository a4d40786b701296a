import { withChaos, chaosSetupFile } from './with-chaos';
import { presetConfig } from './preset';
import { parts } from './parts';

describe('the setup file that lets db/cache rules reach the test realm', () => {
  test('the preset lists it in setupFiles (Jest puts the user’s own after it)', () => {
    expect(presetConfig().setupFiles).toEqual([parts.setup]);
    expect(chaosSetupFile).toBe(parts.setup);
  });

  test('withChaos() puts it first and keeps the user’s setupFiles, once', () => {
    expect(withChaos({ setupFiles: ['<rootDir>/env.js'] }).setupFiles).toEqual([parts.setup, '<rootDir>/env.js']);
    expect(withChaos(withChaos({ setupFiles: ['<rootDir>/env.js'] })).setupFiles).toEqual([parts.setup, '<rootDir>/env.js']);
    expect(withChaos({}).setupFiles).toEqual([parts.setup]);
  });

  test('each inline project gets it', () => {
    const config = withChaos({ projects: [{ displayName: 'a', setupFiles: ['a.js'] }, { displayName: 'b' }] });
    expect((config.projects as { setupFiles: string[] }[]).map((project) => project.setupFiles)).toEqual([[parts.setup, 'a.js'], [parts.setup]]);
  });
});
