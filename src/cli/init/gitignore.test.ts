import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gitignoreAction } from './gitignore';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-gitignore-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const withGitignore = (text: string) => {
  writeFileSync(path.join(dir, '.gitignore'), text);
  return gitignoreAction(dir);
};

describe('gitignoreAction', () => {
  test('creates .gitignore with both reports when there is none', () => {
    expect(gitignoreAction(dir)).toEqual({ file: path.join(dir, '.gitignore'), kind: 'create', content: 'chaos-report.json\nchaos-report.html\n', note: 'chaos-report.json, chaos-report.html' });
  });

  test('appends only the missing reports, after a final line break', () => {
    expect(withGitignore('node_modules/\nchaos-report.json\n')).toMatchObject({ kind: 'change', content: 'node_modules/\nchaos-report.json\nchaos-report.html\n', note: 'added chaos-report.html' });
    expect(withGitignore('dist')).toMatchObject({ kind: 'change', content: 'dist\nchaos-report.json\nchaos-report.html\n' });
    expect(withGitignore('dist\r\n')).toMatchObject({ content: 'dist\r\nchaos-report.json\r\nchaos-report.html\r\n' });
  });

  test('never adds a line that is there already, anchored, indented or negated', () => {
    expect(withGitignore('/chaos-report.json\n  chaos-report.html  \n')).toEqual({ file: path.join(dir, '.gitignore'), kind: 'unchanged', note: 'already lists the chaos reports' });
    expect(withGitignore('!chaos-report.json\n')).toMatchObject({ kind: 'change', content: '!chaos-report.json\nchaos-report.html\n' });
  });
});
