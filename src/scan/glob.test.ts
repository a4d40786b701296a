import { globToRegExp, isIgnored, parseGitignore } from './glob';

describe('globToRegExp', () => {
  test("reads Jest's default testMatch as Jest does", () => {
    const inTests = globToRegExp('**/__tests__/**/*.?([mc])[jt]s?(x)');
    const named = globToRegExp('**/?(*.)+(spec|test).?([mc])[jt]s?(x)');
    expect(inTests.test('/p/src/__tests__/a.ts')).toBe(true);
    expect(inTests.test('/p/src/__tests__/deep/a.mjs')).toBe(true);
    expect(inTests.test('/p/src/a.ts')).toBe(false);
    expect(named.test('/p/src/a.test.tsx')).toBe(true);
    expect(named.test('/p/src/a.spec.cjs')).toBe(true);
    expect(named.test('/p/src/test.js')).toBe(true);
    expect(named.test('/p/src/latest.js')).toBe(false);
    expect(named.test('/p/src/a.test.json')).toBe(false);
  });

  test('**, *, ?, classes, braces and !(...)', () => {
    expect(globToRegExp('src/**').test('src/a/b.ts')).toBe(true);
    expect(globToRegExp('src/*.ts').test('src/a/b.ts')).toBe(false);
    expect(globToRegExp('src/?.ts').test('src/a.ts')).toBe(true);
    expect(globToRegExp('src/[!a]*.ts').test('src/a.ts')).toBe(false);
    expect(globToRegExp('src/*.{js,ts}').test('src/a.ts')).toBe(true);
    expect(globToRegExp('src/!(legacy)/*.ts').test('src/legacy/a.ts')).toBe(false);
    expect(globToRegExp('src/!(legacy)/*.ts').test('src/billing/a.ts')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});

describe('gitignore', () => {
  test('unanchored names match at any depth, anchored ones from their file, negation and directory-only rules', () => {
    const rules = parseGitignore('# comment\n\ngenerated/\n/build\n*.log\n!keep.log\ndocs/*.js\n', '');
    expect(isIgnored(rules, 'src/generated', true)).toBe(true);
    expect(isIgnored(rules, 'src/generated', false)).toBe(false);
    expect(isIgnored(rules, 'build', true)).toBe(true);
    expect(isIgnored(rules, 'src/build', true)).toBe(false);
    expect(isIgnored(rules, 'a/b.log', false)).toBe(true);
    expect(isIgnored(rules, 'a/keep.log', false)).toBe(false);
    expect(isIgnored(rules, 'docs/x.js', false)).toBe(true);
    expect(isIgnored(rules, 'src/docs/x.js', false)).toBe(false);
  });

  test('a nested .gitignore applies under its folder only', () => {
    const rules = parseGitignore('tmp.js\n', 'packages/api');
    expect(isIgnored(rules, 'packages/api/src/tmp.js', false)).toBe(true);
    expect(isIgnored(rules, 'packages/web/tmp.js', false)).toBe(false);
  });
});
