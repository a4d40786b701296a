/** Adding jest-chaos to a JSON Jest config: jest.config.json or the "jest" key of package.json. */
import { configError } from './config-error';
import { KEYS_THAT_NEED_COMPOSING, NODE_ENVIRONMENTS } from './preset-keys';

export type JsonConfig = Record<string, unknown>;

/** The config with jest-chaos added, and a note that says how; or an error that says why not. */
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
  if (!Object.keys(config).some((key) => KEYS_THAT_NEED_COMPOSING.has(key))) return { config: { preset: 'jest-chaos', ...config }, note: `added preset: 'jest-chaos'` };
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

/** The JSON object in `text`, or an error naming the file. */
export function parseJsonObject(file: string, text: string): JsonConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw configError(`cannot read ${file}: ${(error as Error).message}. Nothing was written. Fix the JSON and run jest-chaos init again.`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw configError(`cannot read ${file}: it is not a JSON object. Nothing was written.`);
  return json as JsonConfig;
}

/** `json` printed with the indentation and final line break of the file it replaces. */
export function printJsonLike(original: string, json: JsonConfig): string {
  const indent = /^[ \t]*\{\s*\n([ \t]+)"/.exec(original)?.[1] ?? '  ';
  return `${JSON.stringify(json, null, indent)}${original.endsWith('\n') ? '\n' : ''}`;
}
