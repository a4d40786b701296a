/** `npx jest-chaos init`: adds jest-chaos to the project's Jest config and copies the CI workflow templates. */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ChaosError, isChaosError } from '../errors/chaos-error';
import { writeAgent } from '../scan/agent';
import { detectPackageManager, workflowFor, type PackageManager } from './package-manager';

const USAGE = `Usage: jest-chaos init [--cwd <dir>] [--dry-run] [--force] [--no-workflows] [--agent]

Adds jest-chaos to the Jest config of the current directory (or --cwd) and copies the CI workflow
templates into .github/workflows/, with the install and run commands of the project's package manager
(npm, yarn or pnpm: package.json's packageManager, else the lockfile).

  - a config without a preset gets preset: 'jest-chaos';
  - a JavaScript or TypeScript config with a preset (or its own environment, runner or reporters) is
    wrapped with withChaos(...);
  - a JSON config or package.json#jest with a preset gets the parts: testEnvironment, runner, reporters;
  - without any config, jest.config.js is created.

Options:
  --cwd <dir>      the project directory (default: the current directory)
  --dry-run        print what would be created or changed, write nothing
  --force          overwrite existing workflow files; leave a config that already uses jest-chaos as it is
  --no-workflows   do not copy the CI workflow templates
  --agent          only write .claude/agents/chaos-engineer.md, an agent that finds failure scenarios with
                   jest-chaos scan --json and writes chaos suites (never overwritten without --force)
  -h, --help       print this help`;

/** Jest's own lookup order for config files (jest-config's JEST_CONFIG_EXT_ORDER). */
const CONFIG_NAMES = ['jest.config.js', 'jest.config.ts', 'jest.config.mjs', 'jest.config.mts', 'jest.config.cjs', 'jest.config.cts', 'jest.config.json'];

/** The GitHub Actions templates that init copies (docs/ci/ of the package). */
export const WORKFLOW_TEMPLATES = ['chaos-everyday.yml', 'chaos-scheduled.yml'] as const;

interface Options {
  readonly cwd: string;
  readonly dryRun: boolean;
  readonly force: boolean;
  readonly workflows: boolean;
  readonly agent: boolean;
}

/** One file init writes, or leaves alone and says why. */
interface Action {
  readonly file: string;
  readonly kind: 'create' | 'change' | 'overwrite' | 'unchanged';
  readonly content?: string;
  readonly note?: string;
  /** Set when writing the file needs --force. */
  readonly conflict?: string;
}

function configError(message: string): ChaosError {
  return new ChaosError('ERR_CHAOS_CONFIG', message);
}

function parseArgs(argv: readonly string[]): Options | 'help' {
  let cwd = process.cwd();
  let dryRun = false;
  let force = false;
  let workflows = true;
  let agent = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-h' || arg === '--help') return 'help';
    else if (arg === '--dry-run') dryRun = true;
    else if (arg === '--force') force = true;
    else if (arg === '--no-workflows') workflows = false;
    else if (arg === '--agent') agent = true;
    else if (arg === '--cwd' || arg.startsWith('--cwd=')) {
      const value = arg === '--cwd' ? argv[++i] : arg.slice('--cwd='.length);
      if (value === undefined || value === '') throw configError('invalid option --cwd in the jest-chaos init command line: it needs a directory. Example: jest-chaos init --cwd packages/api');
      cwd = path.resolve(value);
    } else {
      throw configError(`unknown option "${arg}" in the jest-chaos init command line. Valid: --cwd <dir>, --dry-run, --force, --no-workflows, --help.`);
    }
  }
  return { cwd, dryRun, force, workflows, agent };
}

/** The package's docs/ci folder, from dist/src/cli (built) or src/cli (ts-jest). */
function templatesDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'docs', 'ci');
    if (existsSync(path.join(candidate, WORKFLOW_TEMPLATES[0]))) return candidate;
    if (path.dirname(dir) === dir) throw configError(`the CI workflow templates are missing from the jest-chaos package (docs/ci/ next to ${__dirname}): reinstall jest-chaos.`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Reading JavaScript and TypeScript configs

/**
 * The text with comments and string contents blanked out (same length, line breaks kept), so that
 * searching for braces and keywords never matches inside them. Regular expression literals are not
 * recognised: a brace inside one makes the braces unbalanced, and init then refuses the file.
 */
export function maskCode(text: string): string {
  const out = text.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      let depth = 0;
      while (j < text.length) {
        const d = text[j];
        if (d === '\\') j += 2;
        else if (c === '`' && d === '$' && text[j + 1] === '{') {
          depth++;
          j += 2;
        } else if (c === '`' && depth > 0 && d === '}') {
          depth--;
          j++;
        } else if (d === c && depth === 0) break;
        else if (d === '\n' && c !== '`') break;
        else j++;
      }
      // Keep the quotes, blank what is between them.
      blank(i + 1, Math.min(j, text.length));
      i = j + 1;
    } else {
      i++;
    }
  }
  return out.join('');
}

function matchingBrace(code: string, open: number): number | undefined {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const c = code[i];
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') {
      depth--;
      if (depth === 0) return c === '}' ? i : undefined;
      if (depth < 0) return undefined;
    }
  }
  return undefined;
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** Where the exported config object of a JS/TS config is, when its shape is one init edits safely. */
interface JsShape {
  readonly syntax: 'cjs' | 'esm';
  /** Index and line of the `module.exports =` / `export default` statement. */
  readonly exportIndex: number;
  /** The exported expression when it is a plain identifier (`module.exports = config`). */
  readonly identifier?: { readonly start: number; readonly end: number };
  /** The config object literal: the `{` and its matching `}`. */
  readonly object: { readonly open: number; readonly close: number };
  /** True when the object is wrapped in `defineConfig(...)`. */
  readonly defineConfig: boolean;
}

/**
 * Whether the object closed at `close` ends its statement (through `)` of defineConfig, then an optional
 * `satisfies T` / `as T`), which shows that the braces were matched right.
 */
function endsStatement(code: string, close: number, inCall: boolean): boolean {
  const rest = code.slice(close + 1);
  return new RegExp(`^${inCall ? '\\s*\\)' : ''}[ \\t]*(?:(?:satisfies|as)\\s+[\\w$.<>\\[\\], ]+?)?[ \\t]*(?:;|\\r?\\n|$)`).test(rest);
}

function findShape(text: string): JsShape | { readonly syntax: 'cjs' | 'esm' | undefined; readonly exportIndex: number | undefined } {
  const code = maskCode(text);
  const exports = [...code.matchAll(/(?<![\w$.])module\.exports\s*=(?!=)|(?<![\w$.])export\s+default\b/g)];
  if (exports.length !== 1) {
    const syntax = /(?<![\w$.])module\.exports\b/.test(code) ? 'cjs' : /(?<![\w$.])export\b/.test(code) ? 'esm' : undefined;
    return { syntax, exportIndex: exports[0]?.index };
  }
  const found = exports[0] as RegExpMatchArray;
  const exportIndex = found.index as number;
  const syntax = found[0].startsWith('module') ? 'cjs' : 'esm';
  const after = exportIndex + found[0].length;
  const rest = code.slice(after);

  const literal = /^\s*(defineConfig\s*\(\s*)?\{/.exec(rest);
  if (literal !== null) {
    const open = after + literal[0].length - 1;
    const close = matchingBrace(code, open);
    if (close === undefined) return { syntax, exportIndex };
    if (!endsStatement(code, close, literal[1] !== undefined)) return { syntax, exportIndex };
    return { syntax, exportIndex, object: { open, close }, defineConfig: literal[1] !== undefined };
  }

  const identifier = /^(\s*)([A-Za-z_$][\w$]*)\s*(?:;|\n|$)/.exec(rest);
  if (identifier === null || ['async', 'function', 'class', 'new', 'await'].includes(identifier[2] as string)) return { syntax, exportIndex };
  const name = identifier[2] as string;
  const start = after + (identifier[1] as string).length;
  const escaped = name.replace(/\$/g, '\\$');
  const declarations = [...code.matchAll(new RegExp(`(?<![\\w$.])(?:const|let|var)\\s+${escaped}\\s*(?::[^=;]+)?=\\s*(defineConfig\\s*\\(\\s*)?\\{`, 'g'))];
  if (declarations.length !== 1) return { syntax, exportIndex };
  const declaration = declarations[0] as RegExpMatchArray;
  const open = (declaration.index as number) + declaration[0].length - 1;
  const close = matchingBrace(code, open);
  if (close === undefined || !endsStatement(code, close, declaration[1] !== undefined)) return { syntax, exportIndex };
  return { syntax, exportIndex, identifier: { start, end: start + name.length }, object: { open, close }, defineConfig: declaration[1] !== undefined };
}

function isShape(shape: ReturnType<typeof findShape>): shape is JsShape {
  return 'object' in shape;
}

/** The import line for withChaos: TypeScript configs import the package root, whose types every module resolution finds. */
function importLine(syntax: 'cjs' | 'esm', typescript: boolean, quote: string): string {
  const from = typescript ? 'jest-chaos' : 'jest-chaos/config';
  if (syntax === 'cjs') return `const { withChaos } = require(${quote}${from}${quote});`;
  return `import { withChaos } from ${quote}${from}${quote};`;
}

/** After a shebang, a file header comment followed by a blank line (Jest reads loader pragmas there), and 'use strict'. */
function importPosition(text: string): { index: number; afterImports: boolean } {
  let index = 0;
  const shebang = /^#![^\n]*\n/.exec(text);
  if (shebang !== null) index = shebang[0].length;
  for (;;) {
    const header = /^(?:\s*(?:\/\*[\s\S]*?\*\/|(?:\/\/[^\n]*\n)+))[ \t]*\n[ \t]*\n/.exec(text.slice(index));
    if (header === null) break;
    index += header[0].length;
  }
  const strict = /^\s*(['"])use strict\1;?[ \t]*\n/.exec(text.slice(index));
  if (strict !== null) index += strict[0].length;
  // After the file's own imports, when it starts with some.
  const imports = /^(?:[ \t]*(?:import\b|(?:const|let|var)\b[^\n]*\brequire\()[^\n]*\n)+/.exec(text.slice(index));
  return imports === null ? { index, afterImports: false } : { index: index + imports[0].length, afterImports: true };
}

/** Keys whose presence means `preset: 'jest-chaos'` would not take effect, or would be replaced. */
const KEYS_THAT_NEED_WITH_CHAOS = new Set(['preset', 'projects', 'testEnvironment', 'runner', 'reporters', 'filter']);

/** The object literal's own keys (not nested ones), and whether it spreads another object. */
export function topLevelKeys(text: string, code: string, open: number, close: number): { keys: string[]; spread: boolean } {
  const keys: string[] = [];
  let spread = false;
  let depth = 0;
  let expectKey = true;
  for (let i = open + 1; i < close; i++) {
    const c = code[i] as string;
    if (/\s/.test(c)) continue;
    if (depth === 0 && expectKey) {
      expectKey = false;
      if (code.startsWith('...', i)) {
        spread = true;
        i += 2;
        continue;
      }
      let key: string | undefined;
      let end = i;
      if (c === "'" || c === '"') {
        end = code.indexOf(c, i + 1);
        if (end === -1) break;
        key = text.slice(i + 1, end);
        end++;
      } else {
        const identifier = /^[A-Za-z_$][\w$]*/.exec(code.slice(i));
        if (identifier !== null) {
          key = identifier[0];
          end = i + key.length;
        }
      }
      if (key !== undefined) {
        // `key:`, a shorthand `key,` / `key }`, or a method `key(`.
        if (/^\s*(?:[:,(]|$)/.test(code.slice(end, close))) keys.push(key);
        i = end - 1;
        continue;
      }
    }
    if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') depth--;
    else if (c === ',' && depth === 0) expectKey = true;
  }
  return { keys, spread };
}

const NON_NODE_ENVIRONMENT = /['"]?testEnvironment['"]?\s*:\s*['"]([^'"]+)['"]/;
const NODE_ENVIRONMENTS = new Set(['node', 'jest-environment-node']);

function refuseShape(file: string, text: string, shape: { syntax: 'cjs' | 'esm' | undefined; exportIndex: number | undefined }, typescript: boolean): ChaosError {
  const where = shape.exportIndex === undefined ? file : `${file}:${lineOf(text, shape.exportIndex)}`;
  const syntax = shape.syntax ?? (typescript || file.endsWith('.mjs') ? 'esm' : 'cjs');
  const todo =
    syntax === 'cjs'
      ? `add this line at the end of ${file}:\n  module.exports = require('jest-chaos/config').withChaos(module.exports);\n(when the config exports a function, wrap the object it returns with withChaos instead)`
      : `wrap the exported config, as in:\n  ${importLine('esm', typescript, "'")}\n  export default withChaos(config);`;
  return configError(
    `cannot edit the Jest config in ${where}: its export is not one that init changes safely (module.exports = { ... }, export default { ... }, ` +
      `defineConfig({ ... }), or an exported variable that holds an object). Nothing was written. To add jest-chaos yourself, ${todo}`,
  );
}

/** The new text of a JS/TS config, or why not. */
export function editJsConfig(file: string, text: string): { content: string; note: string } {
  const typescript = /\.[cm]?ts$/.test(file);
  const shape = findShape(text);
  if (!isShape(shape)) throw refuseShape(file, text, shape, typescript);
  const code = maskCode(text);
  const body = text.slice(shape.object.open, shape.object.close + 1);
  const environment = NON_NODE_ENVIRONMENT.exec(body);
  if (environment !== null && !NODE_ENVIRONMENTS.has(environment[1] as string)) {
    throw configError(
      `cannot add jest-chaos to ${file}:${lineOf(text, shape.object.open + environment.index)}: testEnvironment "${environment[1]}" is not Node's, and chaos tests run in jest-chaos's Node environment. ` +
        `Nothing was written. Put the chaos tests in a Jest project of their own with preset: 'jest-chaos' (see "projects" in Jest's docs).`,
    );
  }
  const quote = (text.match(/"/g)?.length ?? 0) > (text.match(/'/g)?.length ?? 0) ? '"' : "'";
  const own = topLevelKeys(text, code, shape.object.open, shape.object.close);
  const needsWrap = own.spread || own.keys.some((key) => KEYS_THAT_NEED_WITH_CHAOS.has(key));
  if (!needsWrap) {
    // No preset and nothing the preset sets: `preset: 'jest-chaos'` goes first in the object.
    const open = shape.object.open;
    const inner = text.slice(open + 1, shape.object.close);
    let insertion: string;
    if (inner.trim() === '') insertion = ` preset: ${quote}jest-chaos${quote} `;
    else {
      const newline = /^[ \t]*\r?\n/.exec(inner);
      if (newline === null) insertion = ` preset: ${quote}jest-chaos${quote},`;
      else {
        const indent = /\n([ \t]*)\S/.exec(inner)?.[1] ?? '  ';
        insertion = `\n${indent}preset: ${quote}jest-chaos${quote},`;
      }
    }
    const content = text.slice(0, open + 1) + insertion + text.slice(inner.trim() === '' ? shape.object.close : open + 1);
    return { content, note: `added preset: 'jest-chaos'` };
  }
  // Wrap the exported config with withChaos(...), innermost first so indices stay valid.
  let content: string;
  if (shape.identifier !== undefined) {
    const { start, end } = shape.identifier;
    content = `${text.slice(0, start)}withChaos(${text.slice(start, end)})${text.slice(end)}`;
  } else {
    const { open, close } = shape.object;
    content = `${text.slice(0, open)}withChaos(${text.slice(open, close + 1)})${text.slice(close + 1)}`;
  }
  const { index: at, afterImports } = importPosition(content);
  const rest = content.slice(at);
  const gap = afterImports || rest.startsWith('\n') ? '' : '\n';
  content = `${content.slice(0, at)}${importLine(shape.syntax, typescript, quote)}\n${gap}${rest}`;
  return { content, note: 'wrapped the exported config with withChaos(...)' };
}

// ---------------------------------------------------------------------------------------------------
// JSON configs (jest.config.json, package.json#jest)

type JsonConfig = Record<string, unknown>;

export function editJsonConfig(config: JsonConfig, where: string): { config: JsonConfig; note: string } {
  if (config.projects !== undefined) {
    throw configError(
      `cannot add jest-chaos to the Jest config in ${where}: it has "projects", and a JSON config cannot wrap them. Nothing was written. ` +
        `Move the config to jest.config.js and wrap it: module.exports = require('jest-chaos/config').withChaos({ ...yourConfig });`,
    );
  }
  const environment = config.testEnvironment;
  if (environment !== undefined && !NODE_ENVIRONMENTS.has(environment as string)) {
    throw configError(
      `cannot add jest-chaos to the Jest config in ${where}: testEnvironment "${String(environment)}" is not Node's, and chaos tests run in jest-chaos's Node environment. ` +
        `Nothing was written. Put the chaos tests in a Jest project of their own with preset: 'jest-chaos'.`,
    );
  }
  const runner = config.runner;
  if (runner !== undefined && runner !== 'jest-runner') {
    throw configError(
      `cannot add jest-chaos to the Jest config in ${where}: runner "${String(runner)}" would replace the chaos runner that keeps chaos suites out of everyday runs. ` +
        `Nothing was written. Remove runner, or set testEnvironment: 'jest-chaos/environment' by hand and give up file-level selection.`,
    );
  }
  const needsParts = ['preset', 'testEnvironment', 'runner', 'reporters', 'filter'].some((key) => config[key] !== undefined);
  if (!needsParts) return { config: { preset: 'jest-chaos', ...config }, note: `added preset: 'jest-chaos'` };
  const reporters = (config.reporters as unknown[] | undefined) ?? ['default'];
  return {
    config: {
      ...config,
      testEnvironment: 'jest-chaos/environment',
      runner: 'jest-chaos/runner',
      reporters: [...reporters, 'jest-chaos/reporter'],
      moduleNameMapper: { '^nock$': 'jest-chaos/nock', ...(config.moduleNameMapper as JsonConfig | undefined) },
    },
    note: `set testEnvironment, runner, reporters and the nock mapping to jest-chaos's${config.preset === undefined ? '' : ` (preset ${JSON.stringify(config.preset)} kept)`}`,
  };
}

function jsonIndent(text: string): string {
  return /^[ \t]*\{\s*\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw configError(`cannot read ${file}: ${(error as Error).message}. Nothing was written. Fix the JSON and run jest-chaos init again.`);
  }
}

// ---------------------------------------------------------------------------------------------------

function readPackageJson(dir: string): { file: string; text: string; json: JsonConfig } | undefined {
  const file = path.join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const json = parseJson('package.json', text);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw configError('cannot read package.json: it is not a JSON object. Nothing was written.');
  return { file, text, json: json as JsonConfig };
}

function configAction(options: Options): Action {
  const { cwd, force } = options;
  const pkg = readPackageJson(cwd);
  const files = CONFIG_NAMES.filter((name) => existsSync(path.join(cwd, name)));
  const inPackage = pkg !== undefined && pkg.json.jest !== undefined;
  const found = [...files, ...(inPackage ? ['package.json#jest'] : [])];
  if (found.length > 1) {
    throw configError(`found several Jest configs in ${cwd}: ${found.join(', ')}. Jest refuses to choose between them; keep one and run jest-chaos init again.`);
  }
  const already = (file: string): Action =>
    force
      ? { file, kind: 'unchanged', note: 'already uses jest-chaos; left as it is' }
      : { file, kind: 'unchanged', conflict: `${path.basename(file)} already uses jest-chaos` };

  const name = files[0];
  if (name === undefined && inPackage && pkg !== undefined) {
    const jest = pkg.json.jest;
    if (jest === null || typeof jest !== 'object' || Array.isArray(jest)) throw configError('cannot edit the "jest" key of package.json: it is not an object. Nothing was written.');
    if (JSON.stringify(jest).includes('jest-chaos')) return already(pkg.file);
    const edit = editJsonConfig(jest as JsonConfig, 'package.json#jest');
    const next = { ...pkg.json, jest: edit.config };
    return { file: pkg.file, kind: 'change', content: `${JSON.stringify(next, null, jsonIndent(pkg.text))}${pkg.text.endsWith('\n') ? '\n' : ''}`, note: `"jest": ${edit.note}` };
  }
  if (name === undefined) {
    const esm = pkg?.json.type === 'module';
    const content = esm
      ? `/** @type {import('jest').Config} */\nexport default { preset: 'jest-chaos' };\n`
      : `/** @type {import('jest').Config} */\nmodule.exports = { preset: 'jest-chaos' };\n`;
    return { file: path.join(cwd, 'jest.config.js'), kind: 'create', content, note: `preset: 'jest-chaos'` };
  }
  const file = path.join(cwd, name);
  const text = readFileSync(file, 'utf8');
  if (text.includes('jest-chaos')) return already(file);
  if (name.endsWith('.json')) {
    const json = parseJson(name, text);
    if (json === null || typeof json !== 'object' || Array.isArray(json)) throw configError(`cannot edit ${name}: it is not a JSON object. Nothing was written.`);
    const edit = editJsonConfig(json as JsonConfig, name);
    return { file, kind: 'change', content: `${JSON.stringify(edit.config, null, jsonIndent(text))}${text.endsWith('\n') ? '\n' : ''}`, note: edit.note };
  }
  const edit = editJsConfig(name, text);
  return { file, kind: 'change', content: edit.content, note: edit.note };
}

function workflowActions(options: Options, pm: PackageManager): Action[] {
  if (!options.workflows) return [];
  const source = templatesDir();
  // npm's workflows are the templates as shipped; another package manager's say which they were made for.
  const madeFor = pm.name === 'npm' ? undefined : `for ${pm.name}: ${pm.source}`;
  return WORKFLOW_TEMPLATES.map((name) => {
    const file = path.join(options.cwd, '.github', 'workflows', name);
    const content = workflowFor(readFileSync(path.join(source, name), 'utf8'), pm);
    if (!existsSync(file)) return { file, kind: 'create', content, ...(madeFor === undefined ? {} : { note: madeFor }) };
    if (readFileSync(file, 'utf8') === content) return { file, kind: 'unchanged', note: 'already the current template' };
    if (options.force) return { file, kind: 'overwrite', content, ...(madeFor === undefined ? {} : { note: madeFor }) };
    return { file, kind: 'unchanged', conflict: `.github/workflows/${name} exists and differs from the template` };
  });
}

/** A note when the workflows would land outside the repository root, where GitHub does not read them. */
function repositoryNote(cwd: string): string | undefined {
  if (existsSync(path.join(cwd, '.git'))) return undefined;
  for (let dir = path.dirname(cwd); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) {
      return `note: ${cwd} is not the repository root (${dir}). GitHub reads workflows only from ${path.join(dir, '.github', 'workflows')}: move them there and add defaults.run.working-directory: ${path.relative(dir, cwd)} to each job.`;
    }
  }
  return undefined;
}

const VERBS: Record<Action['kind'], [string, string]> = {
  create: ['created', 'would create'],
  change: ['changed', 'would change'],
  overwrite: ['overwrote', 'would overwrite'],
  unchanged: ['unchanged', 'unchanged'],
};

export async function run(argv: readonly string[]): Promise<number> {
  try {
    const options = parseArgs(argv);
    if (options === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (!existsSync(options.cwd) || !statSync(options.cwd).isDirectory()) {
      throw configError(`cannot run jest-chaos init in ${options.cwd}: no such directory. Pass an existing project directory with --cwd <dir>.`);
    }
    if (options.agent) return writeAgent(options, (text) => process.stdout.write(text), (text) => process.stderr.write(text));
    const pm = detectPackageManager(options.cwd);
    const actions = [configAction(options), ...workflowActions(options, pm)];
    const conflicts = actions.filter((action) => action.conflict !== undefined);
    if (conflicts.length > 0) {
      const lines = conflicts.map((action) => `jest-chaos: not overwriting ${path.relative(options.cwd, action.file)} in ${options.cwd}: ${action.conflict}.`);
      lines.push('jest-chaos: nothing was written. Run jest-chaos init --force to overwrite the workflow files (a config that already uses jest-chaos is left as it is).');
      process.stderr.write(`${lines.join('\n')}\n`);
      return 1;
    }
    const verb = options.dryRun ? 1 : 0;
    const out = [`jest-chaos init${options.dryRun ? ' --dry-run (nothing written)' : ''} in ${options.cwd}:`];
    for (const action of actions) {
      if (!options.dryRun && action.content !== undefined && action.kind !== 'unchanged') {
        mkdirSync(path.dirname(action.file), { recursive: true });
        writeFileSync(action.file, action.content);
      }
      const note = action.note === undefined ? '' : ` (${action.note})`;
      out.push(`  ${VERBS[action.kind][verb]} ${path.relative(options.cwd, action.file)}${note}`);
    }
    const repoNote = options.workflows ? repositoryNote(options.cwd) : undefined;
    if (repoNote !== undefined) out.push(repoNote);
    if (options.workflows && pm.warning !== undefined) out.push(`warning: ${pm.warning}`);
    out.push('', `Next: \`${pm.exec} jest\` runs as before, with chaos tests skipped; \`CHAOS_ENABLED=1 ${pm.exec} jest\` runs them.`);
    // Only about a workflow that this run wrote (or would write): not after --no-workflows, nor over the user's own file.
    const everyday = actions.find((action) => path.basename(action.file) === WORKFLOW_TEMPLATES[0]);
    if (everyday !== undefined && (everyday.kind === 'create' || everyday.kind === 'overwrite')) {
      out.push(`Keep your existing CI workflow if it already runs \`${pm.exec} jest\`, and delete .github/workflows/${WORKFLOW_TEMPLATES[0]} then.`);
    }
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  } catch (error) {
    if (isChaosError(error)) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
