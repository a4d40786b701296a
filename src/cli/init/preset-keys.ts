/** What decides how init adds jest-chaos to a config: the keys that `preset: 'jest-chaos'` cannot win against. */

/** With one of these, `preset: 'jest-chaos'` would not take effect (or would be replaced): init composes instead. */
export const KEYS_THAT_NEED_COMPOSING: ReadonlySet<string> = new Set(['preset', 'projects', 'testEnvironment', 'runner', 'reporters', 'filter']);

/** The testEnvironment values that are Node's, on which the chaos environment is built. */
export const NODE_ENVIRONMENTS: ReadonlySet<string> = new Set(['node', 'jest-environment-node']);
