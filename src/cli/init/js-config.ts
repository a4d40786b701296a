/**
 * Adding jest-chaos to a JavaScript or TypeScript Jest config. The exported config object is found in the
 * file's syntax tree (@babel/parser); the change is text inserted at the offsets of its nodes, so every
 * other byte of the file (comments, quotes, commas, blank lines) stays as it was.
 */
import type { ParserPlugin } from '@babel/parser';
import type * as t from '@babel/types';
import { configError } from './config-error';
import { KEYS_THAT_NEED_COMPOSING, NODE_ENVIRONMENTS } from './preset-keys';

type Syntax = 'cjs' | 'esm';

/** Text put in place of `text.slice(from, to)`. */
interface Edit {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

/** The exported config object, and what `withChaos(...)` wraps when the config needs composing. */
interface ConfigObject {
  readonly syntax: Syntax;
  readonly object: t.ObjectExpression;
  /** The object itself, or the identifier at the export (`export default config`). */
  readonly wrap: t.Node;
}

/** An assignment to module.exports, an `export default`, or an `export { x as default }`. */
interface Export {
  readonly syntax: Syntax;
  readonly line: number;
  readonly value: t.Expression | undefined;
}

function parse(file: string, text: string): t.File {
  // Loaded here, not at the top: only init parses configs, so the environment, runner and reporter never load the parser.
  const { parse: parseSource } = require('@babel/parser') as typeof import('@babel/parser');
  const plugins: ParserPlugin[] = /\.[cm]?ts$/.test(file) ? ['typescript'] : [];
  try {
    return parseSource(text, { sourceType: 'unambiguous', plugins });
  } catch (error) {
    const { loc } = error as { loc?: { line: number; column: number } };
    const why = (error as Error).message.replace(/ \(\d+:\d+\)$/, '');
    throw configError(
      `cannot edit the Jest config in ${file}${loc === undefined ? '' : `:${loc.line}:${loc.column + 1}`}: it does not parse (${why}). Nothing was written. Fix it (Jest cannot load it either) and run jest-chaos init again.`,
    );
  }
}

function isNode(value: unknown): value is t.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

const NOT_CHILDREN = new Set(['loc', 'extra', 'leadingComments', 'trailingComments', 'innerComments', 'comments', 'tokens']);

/** The node and every node below it, in source order. */
function* walk(node: t.Node): Generator<t.Node> {
  yield node;
  for (const [key, value] of Object.entries(node)) {
    if (NOT_CHILDREN.has(key)) continue;
    for (const child of Array.isArray(value) ? value : [value]) if (isNode(child)) yield* walk(child);
  }
}

function isModuleExports(node: t.Node): boolean {
  if (node.type !== 'MemberExpression' || node.object.type !== 'Identifier' || node.object.name !== 'module') return false;
  const { property } = node;
  return node.computed ? property.type === 'StringLiteral' && property.value === 'exports' : property.type === 'Identifier' && property.name === 'exports';
}

function exportsOf(ast: t.File): Export[] {
  const found: Export[] = [];
  for (const node of walk(ast.program)) {
    const line = node.loc?.start.line ?? 1;
    if (node.type === 'AssignmentExpression' && node.operator === '=' && isModuleExports(node.left)) found.push({ syntax: 'cjs', line, value: node.right });
    else if (node.type === 'ExportDefaultDeclaration') {
      const { declaration } = node;
      const expression = declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration' || declaration.type === 'TSDeclareFunction' ? undefined : declaration;
      found.push({ syntax: 'esm', line, value: expression });
    } else if (node.type === 'ExportNamedDeclaration' && node.specifiers.some((specifier) => specifier.exported.type === 'Identifier' && specifier.exported.name === 'default')) {
      found.push({ syntax: 'esm', line, value: undefined });
    }
  }
  return found;
}

/** The expression inside TypeScript's `satisfies T`, `as T`, `<T>x`, `x!` and `defineConfig(x)`. */
function unwrap(expression: t.Expression): t.Expression {
  for (let current = expression; ; ) {
    if (current.type === 'TSSatisfiesExpression' || current.type === 'TSAsExpression' || current.type === 'TSTypeAssertion' || current.type === 'TSNonNullExpression') current = current.expression;
    else if (current.type === 'CallExpression' && current.callee.type === 'Identifier' && current.callee.name === 'defineConfig' && current.arguments.length === 1 && current.arguments[0]?.type !== 'SpreadElement' && current.arguments[0]?.type !== 'ArgumentPlaceholder') {
      current = current.arguments[0] as t.Expression;
    } else return current;
  }
}

/** The object that a top-level `const name = { ... }` (or `export const`) holds, when exactly one declaration makes it. */
function declaredObject(program: t.Program, name: string): t.ObjectExpression | undefined {
  const declarators = program.body
    .map((statement) => (statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement))
    .flatMap((statement) => (statement?.type === 'VariableDeclaration' ? statement.declarations : []))
    .filter((declarator) => declarator.id.type === 'Identifier' && declarator.id.name === name);
  const init = declarators.length === 1 ? declarators[0]?.init : undefined;
  const value = init === undefined || init === null ? undefined : unwrap(init);
  return value?.type === 'ObjectExpression' ? value : undefined;
}

function configObject(ast: t.File, found: readonly Export[]): ConfigObject | undefined {
  const [only] = found;
  if (found.length !== 1 || only?.value === undefined) return undefined;
  const value = unwrap(only.value);
  if (value.type === 'ObjectExpression') return { syntax: only.syntax, object: value, wrap: value };
  if (value.type !== 'Identifier') return undefined;
  const object = declaredObject(ast.program, value.name);
  return object === undefined ? undefined : { syntax: only.syntax, object, wrap: value };
}

function importLine(syntax: Syntax, typescript: boolean, quote: string): string {
  // TypeScript configs import the package root, whose types every module resolution finds.
  const from = `${quote}${typescript ? 'jest-chaos' : 'jest-chaos/config'}${quote}`;
  return syntax === 'cjs' ? `const { withChaos } = require(${from});` : `import { withChaos } from ${from};`;
}

function refuse(file: string, ast: t.File, found: readonly Export[], typescript: boolean): Error {
  const nodes = [...walk(ast.program)];
  const syntax: Syntax =
    found[0]?.syntax ??
    (nodes.some(isModuleExports) ? 'cjs' : nodes.some((node) => node.type.startsWith('Export')) || typescript || file.endsWith('.mjs') ? 'esm' : 'cjs');
  const where = found[0] === undefined ? file : `${file}:${found[0].line}`;
  const todo =
    syntax === 'cjs'
      ? `add this line at the end of ${file}:\n  module.exports = require('jest-chaos/config').withChaos(module.exports);\n(when the config exports a function, wrap the object it returns with withChaos instead)`
      : `wrap the exported config, as in:\n  ${importLine('esm', typescript, "'")}\n  export default withChaos(config);`;
  return configError(
    `cannot edit the Jest config in ${where}: its export is not one that init changes safely (module.exports = { ... }, export default { ... }, ` +
      `defineConfig({ ... }), or an exported variable that holds an object). Nothing was written. To add jest-chaos yourself, ${todo}`,
  );
}

function keyName(key: t.Node): string | undefined {
  if (key.type === 'Identifier') return key.name;
  return key.type === 'StringLiteral' ? key.value : undefined;
}

/** Whether `preset: 'jest-chaos'` alone would do: no key it cannot win against, no spread or computed key that might hold one. */
function presetIsEnough(object: t.ObjectExpression): boolean {
  return object.properties.every((property) => {
    if (property.type === 'SpreadElement') return false;
    const name = property.computed && property.key.type !== 'StringLiteral' ? undefined : keyName(property.key);
    return name !== undefined && !KEYS_THAT_NEED_COMPOSING.has(name);
  });
}

/** A testEnvironment anywhere in the config (its projects included) that is not Node's. */
function foreignEnvironment(object: t.ObjectExpression): { name: string; line: number } | undefined {
  for (const node of walk(object)) {
    if (node.type !== 'ObjectProperty' || keyName(node.key) !== 'testEnvironment' || node.value.type !== 'StringLiteral') continue;
    if (!NODE_ENVIRONMENTS.has(node.value.value)) return { name: node.value.value, line: node.loc?.start.line ?? 1 };
  }
  return undefined;
}

/** The quote most string literals of the file use. */
function quoteOf(ast: t.File): string {
  let double = 0;
  let single = 0;
  for (const node of walk(ast.program)) {
    const raw = node.type === 'StringLiteral' || node.type === 'DirectiveLiteral' ? (node.extra?.raw as string | undefined) : undefined;
    if (raw?.startsWith('"') === true) double++;
    else if (raw?.startsWith("'") === true) single++;
  }
  return double > single ? '"' : "'";
}

/** Where a node or comment starts and ends in the text (the parser sets both). */
interface Span {
  readonly start?: number | null;
  readonly end?: number | null;
}

function start(span: Span): number {
  return span.start ?? 0;
}

function end(span: Span): number {
  return span.end ?? 0;
}

/** `preset: 'jest-chaos'` as the object's first key, on its own line when the object spans lines. */
function addPreset(text: string, object: t.ObjectExpression, quote: string, eol: string): Edit {
  const open = start(object) + 1;
  const close = end(object) - 1;
  const preset = `preset: ${quote}jest-chaos${quote}`;
  const inner = text.slice(open, close);
  if (inner.trim() === '') return { from: open, to: close, text: ` ${preset} ` };
  if (!/^[ \t]*\r?\n/.test(inner)) return { from: open, to: open, text: ` ${preset},` };
  const indent = /\n([ \t]*)\S/.exec(inner)?.[1] ?? '  ';
  return { from: open, to: open, text: `${eol}${indent}${preset},` };
}

function isRequire(expression: t.Node | null | undefined): boolean {
  if (expression === null || expression === undefined) return false;
  if (expression.type === 'MemberExpression') return isRequire(expression.object);
  return expression.type === 'CallExpression' && expression.callee.type === 'Identifier' && expression.callee.name === 'require';
}

function isImport(statement: t.Statement): boolean {
  if (statement.type === 'ImportDeclaration' || statement.type === 'TSImportEqualsDeclaration') return true;
  return statement.type === 'VariableDeclaration' && statement.declarations.every((declarator) => isRequire(declarator.init));
}

/**
 * Where the withChaos import goes: after the file's leading imports (or requires); without them, after a
 * shebang, 'use strict' and a header comment that a blank line ends (Jest reads loader pragmas there).
 */
function addImport(text: string, ast: t.File, line: string, eol: string): Edit {
  const { body, directives, interpreter } = ast.program;
  const first = body[0];
  let imports = 0;
  while (imports < body.length && isImport(body[imports] as t.Statement)) imports++;
  const last = imports > 0 ? body[imports - 1] : (directives.at(-1) ?? interpreter ?? undefined);
  let at = 0;
  if (last !== undefined && last !== null) {
    const lineEnd = text.indexOf('\n', end(last));
    const next = body[imports];
    // Another statement on the same line, or no line break at all: the import starts a line of its own.
    if (lineEnd === -1 || (next !== undefined && start(next) < lineEnd)) return { from: end(last), to: end(last), text: `${eol}${line}${eol}` };
    at = lineEnd + 1;
    if (imports > 0) return { from: at, to: at, text: `${line}${eol}` };
  }
  const code = first === undefined ? text.length : start(first);
  for (const comment of ast.comments ?? []) {
    if (start(comment) < at || end(comment) > code) continue;
    const blank = /\r?\n[ \t]*\r?\n/.exec(text.slice(end(comment), code));
    if (blank !== null && text.slice(end(comment), end(comment) + blank.index).trim() === '') at = end(comment) + blank.index + blank[0].length;
  }
  return { from: at, to: at, text: `${line}${eol}${/^\r?\n/.test(text.slice(at)) ? '' : eol}` };
}

function apply(text: string, edits: readonly Edit[]): string {
  return [...edits].sort((a, b) => b.from - a.from).reduce((out, edit) => `${out.slice(0, edit.from)}${edit.text}${out.slice(edit.to)}`, text);
}

/** The new text of a JS/TS config, with a note that says what changed; or an error that says why not. */
export function editJsConfig(file: string, text: string): { content: string; note: string } {
  const typescript = /\.[cm]?ts$/.test(file);
  const ast = parse(file, text);
  const found = exportsOf(ast);
  const config = configObject(ast, found);
  if (config === undefined) throw refuse(file, ast, found, typescript);
  const environment = foreignEnvironment(config.object);
  if (environment !== undefined) {
    throw configError(
      `cannot add jest-chaos to ${file}:${environment.line}: testEnvironment "${environment.name}" is not Node's, and chaos tests run in jest-chaos's Node environment. ` +
        `Nothing was written. Put the chaos tests in a Jest project of their own with preset: 'jest-chaos' (see "projects" in Jest's docs).`,
    );
  }
  const quote = quoteOf(ast);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (presetIsEnough(config.object)) return { content: apply(text, [addPreset(text, config.object, quote, eol)]), note: `added preset: 'jest-chaos'` };
  const edits: Edit[] = [
    { from: start(config.wrap), to: start(config.wrap), text: 'withChaos(' },
    { from: end(config.wrap), to: end(config.wrap), text: ')' },
    addImport(text, ast, importLine(config.syntax, typescript, quote), eol),
  ];
  return { content: apply(text, edits), note: 'wrapped the exported config with withChaos(...)' };
}
