import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { docFiles, MARKER_FORMS, parseBlocks, parseCheck, REPO, type DocBlock } from './support/doc-blocks';
import { checkCommands } from './support/doc-commands';

/**
 * Every fenced code block of README.md and docs/ says, on the line before its fence, how a test checks it
 * (support/doc-blocks.ts), and the claim holds: a block with no marker, or whose marker no longer holds,
 * fails here with its file and line.
 */

/** Where a file that a block is compared with may live: the fixture projects and the example that e2e tests run. */
const RUN_FILES = ['__tests__/e2e/fixtures/', 'examples/'];

const read = (file: string): string => readFileSync(path.join(REPO, file), 'utf8');

/** What is wrong with one block, or undefined when its marker is valid and holds. */
async function problemOf(block: DocBlock, runNames: Map<string, DocBlock>): Promise<string | undefined> {
  if (block.marker === undefined) return 'no test checks this code block';
  const check = parseCheck(block.marker);
  if (typeof check === 'string') return check;
  switch (check.kind) {
    case 'run': {
      if (!/^(js|ts|javascript|typescript)$/.test(block.info)) return `a block to run must be js or ts, not "${block.info}"`;
      const first = runNames.get(check.name);
      if (first !== block) return `the example name ${check.name} is taken by ${first!.doc}:${first!.line}`;
      return undefined;
    }
    case 'same-as': {
      if (!RUN_FILES.some((dir) => check.file.startsWith(dir)) || !existsSync(path.join(REPO, check.file))) {
        return `${check.file} is not a file that a test runs (one under ${RUN_FILES.join(' or ')})`;
      }
      const file = read(check.file);
      return file === block.text ? undefined : `the block differs from ${check.file}${firstDifference(block.text, file)}`;
    }
    case 'by': {
      if (!/^(__tests__|src)\/.+\.test\.ts$/.test(check.test) || !existsSync(path.join(REPO, check.test))) return `${check.test} is no test file of this repository`;
      const source = read(check.test);
      const one = `docBlock(__filename, '${block.doc}', '${check.id}')`;
      const all = `docBlocks(__filename, '${block.doc}')`;
      if (!source.includes(one) && !source.includes(all)) return `${check.test} does not read this block: it calls neither ${one} nor ${all}`;
      return undefined;
    }
    case 'commands': {
      const problems = await checkCommands(block.text);
      return problems.length === 0 ? undefined : problems.join('\n  ');
    }
  }
}

function firstDifference(block: string, file: string): string {
  let at = 0;
  while (at < block.length && block[at] === file[at]) at++;
  const line = block.slice(0, at).split('\n').length;
  return ` from its line ${line}: the block has ${JSON.stringify(block.slice(at, at + 40))}, the file ${JSON.stringify(file.slice(at, at + 40))}`;
}

/** The problems of a set of markdown files, each `doc:line: what`, followed by the valid markers when any. */
async function inventory(docs: ReadonlyArray<{ readonly doc: string; readonly markdown: string }>): Promise<string[]> {
  const blocks = docs.flatMap(({ doc, markdown }) => parseBlocks(doc, markdown));
  const runNames = new Map<string, DocBlock>();
  for (const block of blocks) {
    const check = block.marker === undefined ? undefined : parseCheck(block.marker);
    if (typeof check === 'object' && check.kind === 'run' && !runNames.has(check.name)) runNames.set(check.name, block);
  }
  const problems: string[] = [];
  for (const block of blocks) {
    const problem = await problemOf(block, runNames);
    if (problem !== undefined) problems.push(`${block.doc}:${block.line}: ${problem}`);
  }
  return problems;
}

const report = (problems: readonly string[]): string =>
  problems.length === 0 ? '' : `${problems.join('\n')}\n\nMark each block on the line before its fence with one of:\n${MARKER_FORMS.map((form) => `  ${form}`).join('\n')}\n`;

const docs = docFiles().map((doc) => ({ doc, markdown: read(doc) }));

test('every code block of README.md and docs/ is checked by a test, and says how', async () => {
  expect(docs.flatMap(({ doc, markdown }) => parseBlocks(doc, markdown)).length).toBeGreaterThanOrEqual(100);
  expect(report(await inventory(docs))).toBe('');
}, 30_000);

describe('the inventory fails', () => {
  const readme = docs.find(({ doc }) => doc === 'README.md')!;
  const withReadme = (markdown: string) => [{ doc: 'README.md', markdown }];

  test('on a new block without a marker, naming its file and line and the valid markers', async () => {
    const lines = readme.markdown.split('\n');
    const problems = await inventory(withReadme([...lines.slice(0, 2), '```sh', 'npx jest', '```', ...lines.slice(2)].join('\n')));
    expect(problems).toEqual(['README.md:3: no test checks this code block']);
    expect(report(problems)).toContain('<!-- checked: same-as <file> -->');
  });

  test('on a compared block that differs from its file by one byte', async () => {
    const compared = docs.flatMap(({ doc, markdown }) => parseBlocks(doc, markdown)).find((block) => block.marker?.startsWith('same-as ') === true)!;
    const markdown = docs.find(({ doc }) => doc === compared.doc)!.markdown.split('\n');
    markdown[compared.start] = `${markdown[compared.start]} `;
    expect(await inventory([{ doc: compared.doc, markdown: markdown.join('\n') }])).toEqual([expect.stringMatching(new RegExp(`^${compared.doc}:${compared.line}: the block differs from ${compared.marker!.slice('same-as '.length)} from its line 1`))]);
  });

  test('on a block claimed by a test that does not read it, and on an unknown marker', async () => {
    const problems = await inventory(withReadme(`<!-- checked: by __tests__/e2e/init.test.ts nothing -->\n\`\`\`\nx\n\`\`\`\n<!-- checked: maybe -->\n\`\`\`\ny\n\`\`\`\n`));
    expect(problems).toEqual([
      "README.md:2: __tests__/e2e/init.test.ts does not read this block: it calls neither docBlock(__filename, 'README.md', 'nothing') nor docBlocks(__filename, 'README.md')",
      'README.md:6: "<!-- checked: maybe -->" is not a valid marker',
    ]);
  });

  test('on a command with a flag that its parser rejects, or a variable that jest-chaos does not read', async () => {
    const block = (command: string) => `<!-- checked: commands -->\n\`\`\`sh\n${command}\n\`\`\`\n`;
    expect(await inventory(withReadme(block('CHAOS_ENABLED=1 npx jest --shrd=1/2')))).toEqual([expect.stringContaining('README.md:2: line 1: ● Unrecognized CLI Parameter:\n\n  Unrecognized option "shrd"')]);
    expect(await inventory(withReadme(block('npx jest-chaos merge a.json --outptu b.json')))).toEqual([expect.stringContaining('unknown option "--outptu" in the jest-chaos merge command line')]);
    expect(await inventory(withReadme(block('CHAOS_ENABLED=0 npx jest -t chaos')))).toEqual([expect.stringContaining('conflicting settings in the environment: CHAOS_ENABLED=0')]);
    expect(await inventory(withReadme(block('CHAOS_SEDD=1 npx jest')))).toEqual(['README.md:2: line 1: unknown variable CHAOS_SEDD; jest-chaos reads CHAOS_ENABLED, CHAOS_SEED, CHAOS_TAGS, CHAOS_STRICT, CHAOS_RUNS']);
    expect(await inventory(withReadme(block('npm run deom')))).toEqual([expect.stringContaining('README.md:2: line 1: npm run deom: ./package.json has no script "deom"')]);
  });
});
