import type { TagExpression } from '../tags/expression';

/**
 * Where the runner hands the run's `--testNamePattern` to its workers (and to itself): the settings of
 * every process of the run are read from the environment, so they all take the same decision.
 */
export const TEST_NAME_PATTERN_VARIABLE = 'JEST_CHAOS_TEST_NAME_PATTERN';

/** The prefix that the chaos environment gives a chaos test's name when the name lacks the word "chaos". */
export const CHAOS_NAME_PREFIX = 'chaos: ';

/** A part of the run's command that asks for chaos tests, so that chaos is on when CHAOS_ENABLED is unset. */
export interface ChaosRequest {
  readonly by: '--testNamePattern' | 'CHAOS_TAGS';
  /** The pattern or the expression as given. */
  readonly text: string;
}

/**
 * Whether a `--testNamePattern` asks for chaos tests. Jest compiles the pattern as a case-insensitive
 * regular expression; it asks for chaos tests when
 * - it matches the text `chaos: ` with a match that holds the whole word `chaos` (`chaos`, `^chaos: `,
 *   `Chaos`, `chaos|smoke`), unless it also matches an empty name (`.*` selects every test), or
 * - its own text holds `chaos: ` (a chaos test's name copied from Jest's output, `chaos: retries`) and it
 *   has no negative lookaround (`(?!`, `(?<!`), which would mean the opposite.
 * A pattern that is not a valid regular expression asks for nothing: Jest reports it.
 */
export function patternAsksForChaos(pattern: string): boolean {
  if (pattern === '') return false;
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'i');
  } catch {
    return false;
  }
  if (regex.test('')) return false;
  const match = regex.exec(CHAOS_NAME_PREFIX);
  if (match !== null && match[0].toLowerCase().includes('chaos')) return true;
  return pattern.toLowerCase().includes(CHAOS_NAME_PREFIX) && !/\(\?<?!/.test(pattern);
}

/**
 * What in the run asks for chaos tests: the test name pattern (see patternAsksForChaos) and a CHAOS_TAGS
 * expression that only tag sets holding `chaos` satisfy (`chaos`, `chaos and not slow`; not
 * `chaos or integration`, not `not chaos`).
 */
export function chaosRequests(testNamePattern: string | undefined, tags: TagExpression | undefined): ChaosRequest[] {
  const requests: ChaosRequest[] = [];
  if (testNamePattern !== undefined && patternAsksForChaos(testNamePattern)) requests.push({ by: '--testNamePattern', text: testNamePattern });
  if (tags !== undefined && tags.needs('chaos')) requests.push({ by: 'CHAOS_TAGS', text: tags.source });
  return requests;
}

/** `--testNamePattern "chaos"` or `CHAOS_TAGS="chaos"`, as messages name a request. */
export function describeRequest(request: ChaosRequest): string {
  return request.by === 'CHAOS_TAGS' ? `CHAOS_TAGS=${JSON.stringify(request.text)}` : `--testNamePattern ${JSON.stringify(request.text)}`;
}

/** Why a request counts as asking for chaos tests, for the conflict message. */
export function requestReason(request: ChaosRequest): string {
  return request.by === 'CHAOS_TAGS' ? 'no test without the tag "chaos" matches it' : `it matches the "${CHAOS_NAME_PREFIX}" prefix of their names`;
}

/**
 * The run's test name pattern from Jest's command line (`-t x`, `-t=x`, `--testNamePattern x`,
 * `--testNamePattern=x`, `--test-name-pattern x`), for the places that see no Jest config (`--listTests`).
 */
export function testNamePatternFromArgv(argv: readonly string[]): string | undefined {
  const names = ['-t', '--testNamePattern', '--test-name-pattern'];
  let found: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (names.includes(arg)) {
      found = argv[i + 1];
      i++;
      continue;
    }
    const name = names.find((candidate) => arg.startsWith(`${candidate}=`));
    if (name !== undefined) found = arg.slice(name.length + 1);
  }
  return found;
}
