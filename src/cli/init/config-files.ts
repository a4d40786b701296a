/** Finding the project's Jest config as Jest does, and the action that adds jest-chaos to it. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Action } from './actions';
import { configError } from './config-error';
import { editJsConfig } from './js-config';
import { editJsonConfig, parseJsonObject, printJsonLike, type JsonConfig } from './json-config';

/** Jest's own lookup order for config files (jest-config's JEST_CONFIG_EXT_ORDER). */
const CONFIG_NAMES = ['jest.config.js', 'jest.config.ts', 'jest.config.mjs', 'jest.config.mts', 'jest.config.cjs', 'jest.config.cts', 'jest.config.json'] as const;

function readPackageJson(cwd: string): { file: string; text: string; json: JsonConfig } | undefined {
  const file = path.join(cwd, 'package.json');
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  return { file, text, json: parseJsonObject('package.json', text) };
}

function alreadyUsed(file: string, force: boolean): Action {
  return force ? { file, kind: 'unchanged', note: 'already uses jest-chaos; left as it is' } : { file, kind: 'unchanged', conflict: `${path.basename(file)} already uses jest-chaos` };
}

/** The change to the project's one Jest config, or the config to create when it has none. */
export function configAction(cwd: string, force: boolean): Action {
  const pkg = readPackageJson(cwd);
  const files = CONFIG_NAMES.filter((name) => existsSync(path.join(cwd, name)));
  const inPackage = pkg !== undefined && pkg.json.jest !== undefined;
  const found = [...files, ...(inPackage ? ['package.json#jest'] : [])];
  if (found.length > 1) {
    throw configError(`found several Jest configs in ${cwd}: ${found.join(', ')}. Jest refuses to choose between them; keep one and run jest-chaos init again.`);
  }
  const [name] = files;
  if (name === undefined && inPackage) {
    const { jest } = pkg.json;
    if (jest === null || typeof jest !== 'object' || Array.isArray(jest)) throw configError('cannot edit the "jest" key of package.json: it is not an object. Nothing was written.');
    if (JSON.stringify(jest).includes('jest-chaos')) return alreadyUsed(pkg.file, force);
    const edit = editJsonConfig(jest as JsonConfig, 'package.json#jest');
    return { file: pkg.file, kind: 'change', content: printJsonLike(pkg.text, { ...pkg.json, jest: edit.config }), note: `"jest": ${edit.note}` };
  }
  if (name === undefined) {
    const exported = pkg?.json.type === 'module' ? 'export default' : 'module.exports =';
    return { file: path.join(cwd, 'jest.config.js'), kind: 'create', content: `/** @type {import('jest').Config} */\n${exported} { preset: 'jest-chaos' };\n`, note: `preset: 'jest-chaos'` };
  }
  const file = path.join(cwd, name);
  const text = readFileSync(file, 'utf8');
  if (text.includes('jest-chaos')) return alreadyUsed(file, force);
  if (name.endsWith('.json')) {
    const edit = editJsonConfig(parseJsonObject(name, text), name);
    return { file, kind: 'change', content: printJsonLike(text, edit.config), note: edit.note };
  }
  const edit = editJsConfig(name, text);
  return { file, kind: 'change', content: edit.content, note: edit.note };
}
