/**
 * The compatibility matrix: which Node x Jest x project kind combinations `__tests__/e2e/compat-matrix.test.ts`
 * runs, and the table of them that docs/configuration.md shows ("Tested combinations"). One list feeds
 * both: the test runs every cell and fails when the table in the docs is not `compatTable()`.
 */
import type { JestMajor } from './jest-majors';
import type { NodeMajor } from './node-versions';

/** The versions each consumer project pins, installed from the npm registry. */
export const TOOLCHAIN = {
  jest: { 29: '29.7.0', 30: '30.5.2' } satisfies Record<JestMajor, string>,
  /** @types/jest of each Jest major. */
  typesJest: { 29: '29.5.14', 30: '30.0.0' } satisfies Record<JestMajor, string>,
  typesNode: '20.19.43',
  tsJest: '29.4.15',
  typescript: { 5: '5.9.3', 6: '6.0.3', 7: '7.0.2' },
  /** TypeScript 6's compiler API as a package of its own, for ts-jest beside TypeScript 7. */
  typescript6: '6.0.2',
} as const;

export type FlavourName = 'cjs' | 'ts5' | 'ts6' | 'esm' | 'ts7' | 'ts7-alias';

export interface Flavour {
  /** The row's label in the docs table. */
  readonly label: string;
  /** The fixture project under `__tests__/e2e/fixtures/compat/`. */
  readonly project: 'cjs' | 'ts' | 'esm';
  /** The project's config file. */
  readonly config: string;
  /** The `typescript` dev dependency: a version, or an npm alias (`npm:<package>@<version>`). */
  readonly typescript: string;
  /** Further dev dependencies, name -> version or alias. */
  readonly extra: Readonly<Record<string, string>>;
  /** Options of the project's `npm install`. */
  readonly npmArgs: readonly string[];
  /** Node options in front of Jest's bin. */
  readonly nodeArgs: readonly string[];
}

/**
 * What `typescript@7` with ts-jest needs to install at all: ts-jest's peer range stops below 7, and npm
 * refuses the project without this option (see TS7_INSTALL_ERROR).
 */
export const TS7_NPM_ARGS = ['--legacy-peer-deps'] as const;

/** The dev dependencies that keep TypeScript 7's tsc and give ts-jest TypeScript 6's compiler API (docs/configuration.md shows them). */
export const TS7_ALIASES = {
  '@typescript/native': `npm:typescript@${TOOLCHAIN.typescript[7]}`,
  typescript: `npm:@typescript/typescript6@${TOOLCHAIN.typescript6}`,
} as const;

const plain = { extra: {}, npmArgs: [], nodeArgs: [] } as const;

export const FLAVOURS: Readonly<Record<FlavourName, Flavour>> = {
  cjs: { label: 'CommonJS (`preset: "jest-chaos"`)', project: 'cjs', config: 'jest.config.js', typescript: TOOLCHAIN.typescript[5], ...plain },
  ts5: { label: `TypeScript ${TOOLCHAIN.typescript[5]} through ts-jest ${TOOLCHAIN.tsJest}`, project: 'ts', config: 'jest.config.js', typescript: TOOLCHAIN.typescript[5], ...plain },
  ts6: { label: `TypeScript ${TOOLCHAIN.typescript[6]} through ts-jest ${TOOLCHAIN.tsJest}`, project: 'ts', config: 'jest.config.js', typescript: TOOLCHAIN.typescript[6], ...plain },
  esm: {
    label: 'ESM (`"type": "module"`, `jest.config.mjs`, `node --experimental-vm-modules`)',
    project: 'esm',
    config: 'jest.config.mjs',
    typescript: TOOLCHAIN.typescript[5],
    ...plain,
    nodeArgs: ['--experimental-vm-modules'],
  },
  ts7: {
    label: `TypeScript ${TOOLCHAIN.typescript[7]} through ts-jest ${TOOLCHAIN.tsJest}`,
    project: 'ts',
    config: 'jest.config.js',
    typescript: TOOLCHAIN.typescript[7],
    ...plain,
    npmArgs: TS7_NPM_ARGS,
  },
  'ts7-alias': {
    label: `TypeScript ${TOOLCHAIN.typescript[7]} as \`@typescript/native\`, ts-jest ${TOOLCHAIN.tsJest} on \`typescript\` aliased to \`@typescript/typescript6\` ${TOOLCHAIN.typescript6}`,
    project: 'ts',
    config: 'jest.config.js',
    typescript: TS7_ALIASES.typescript,
    ...plain,
    extra: { '@typescript/native': TS7_ALIASES['@typescript/native'] },
  },
};

export interface CompatCell {
  readonly node: NodeMajor;
  readonly jest: JestMajor;
  readonly flavour: FlavourName;
  /** Why the combination does not work, when it does not: the test then expects exactly that failure. */
  readonly unsupported?: { readonly reason: string; readonly error: string };
}

/** What `npm install` says of a project that pins TypeScript 7 and ts-jest, without TS7_NPM_ARGS. */
export const TS7_INSTALL_ERROR = `peer typescript@">=4.3 <7" from ts-jest@${TOOLCHAIN.tsJest}`;

/** What ts-jest says when it meets TypeScript 7 (it runs only once npm was told TS7_NPM_ARGS). */
export const TS7_ERROR = `The TypeScript compiler "typescript" (version ${TOOLCHAIN.typescript[7]}) does not expose the JavaScript compiler API required by ts-jest.`;

/**
 * Every cell of the matrix; each runs with chaos off and with chaos on. CommonJS runs on every Node x Jest
 * pair; TypeScript 5 and 6 and ESM on a diagonal that meets every Node major and both Jest majors; the
 * TypeScript 7 rows on one pair each.
 */
export const COMPAT_CELLS: readonly CompatCell[] = [
  { node: 20, jest: 29, flavour: 'cjs' },
  { node: 20, jest: 30, flavour: 'cjs' },
  { node: 22, jest: 29, flavour: 'cjs' },
  { node: 22, jest: 30, flavour: 'cjs' },
  { node: 24, jest: 29, flavour: 'cjs' },
  { node: 24, jest: 30, flavour: 'cjs' },
  { node: 20, jest: 30, flavour: 'ts5' },
  { node: 22, jest: 29, flavour: 'ts5' },
  { node: 24, jest: 30, flavour: 'ts5' },
  { node: 20, jest: 29, flavour: 'ts6' },
  { node: 22, jest: 30, flavour: 'ts6' },
  { node: 24, jest: 29, flavour: 'ts6' },
  { node: 20, jest: 29, flavour: 'esm' },
  { node: 22, jest: 30, flavour: 'esm' },
  { node: 24, jest: 30, flavour: 'esm' },
  {
    node: 20,
    jest: 30,
    flavour: 'ts7',
    unsupported: { reason: 'ts-jest needs the JavaScript compiler API, which the `typescript` package no longer ships from 7.0 on', error: TS7_ERROR },
  },
  { node: 20, jest: 30, flavour: 'ts7-alias' },
];

const PAIRS: readonly (readonly [NodeMajor, JestMajor])[] = [20, 22, 24].flatMap((node) => [29, 30].map((jest) => [node, jest] as const)) as (readonly [NodeMajor, JestMajor])[];

/** The markdown table of COMPAT_CELLS: a row per project kind, a column per Node x Jest pair. */
export function compatTable(cells: readonly CompatCell[] = COMPAT_CELLS): string {
  const flavours = [...new Set(cells.map((cell) => cell.flavour))];
  const header = `| | ${PAIRS.map(([node, jest]) => `Node ${String(node)}, Jest ${String(jest)}`).join(' | ')} |`;
  const rule = `| --- |${PAIRS.map(() => ' --- |').join('')}`;
  const rows = flavours.map((name) => {
    const entries = PAIRS.map(([node, jest]) => {
      const cell = cells.find((candidate) => candidate.flavour === name && candidate.node === node && candidate.jest === jest);
      if (cell === undefined) return 'not run';
      return cell.unsupported === undefined ? 'passes, chaos off and on' : `**not supported**: ${cell.unsupported.reason}`;
    });
    return `| ${FLAVOURS[name].label} | ${entries.join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}
