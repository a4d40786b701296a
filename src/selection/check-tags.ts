import { ChaosError } from '../errors/chaos-error';
import { closest } from '../errors/suggest';
import { plural } from '../report/summary';
import type { TagExpression } from '../tags/expression';

/** The tag that every chaos test carries: always known, even in a project without chaos tests yet. */
const CHAOS_TAG = 'chaos';

const quoted = (names: readonly string[]): string => names.map((name) => `"${name}"`).join(', ');

/**
 * The error for CHAOS_TAGS naming tags that no test file of the run declares, or undefined when every tag
 * it names is known. `known` holds the tags of the run's test files (`@tag`, and `chaos` for chaos suites
 * and files with inline chaos tests); `chaos` itself is always known.
 */
export function unknownTagsError(expression: TagExpression, known: Iterable<string>): ChaosError | undefined {
  const knownTags = [...new Set([CHAOS_TAG, ...known])].sort();
  const unknown = expression.mentioned.filter((tag) => !knownTags.includes(tag));
  if (unknown.length === 0) return undefined;
  const suggestions = unknown.flatMap((tag) => {
    const near = closest(tag, knownTags);
    return near === undefined ? [] : [{ tag, near }];
  });
  let hint = '';
  if (unknown.length === 1 && suggestions.length === 1) hint = ` Did you mean "${suggestions[0]!.near}"?`;
  else if (suggestions.length > 0) hint = ` Did you mean ${suggestions.map(({ tag, near }) => `"${near}" for "${tag}"`).join(', ')}?`;
  const one = unknown.length === 1;
  return new ChaosError(
    'ERR_CHAOS_TAGS',
    `jest-chaos: unknown ${one ? 'tag' : 'tags'} ${quoted(unknown)} in CHAOS_TAGS=${JSON.stringify(expression.source)}: no test file of this run declares ${one ? 'it' : 'them'}. ` +
      `Known tags: ${knownTags.join(', ')}.${hint}`,
  );
}

/**
 * The error for a CHAOS_TAGS expression that selects none of the run's `files` test files. `onlyDisabled`
 * counts the chaos suites that it would select if chaos were on.
 */
export function emptySelectionError(expression: TagExpression, files: number, onlyDisabled: number): ChaosError {
  const why =
    onlyDisabled > 0
      ? `it selects only chaos suites (${onlyDisabled}), which do not run while chaos is disabled. Set CHAOS_ENABLED=1 to run them`
      : 'the run would pass while testing nothing. Change CHAOS_TAGS';
  return new ChaosError(
    'ERR_CHAOS_TAGS',
    `jest-chaos: CHAOS_TAGS=${JSON.stringify(expression.source)} selects no test file of this run (${files} ${files === 1 ? 'file' : 'files'}): ${why}, or pass --passWithNoTests to allow a run without tests.`,
  );
}

/** A test of a file that ran, as far as the tag check needs it. */
export interface TaggedTest {
  readonly tags: readonly string[];
  /** Why jest-chaos skipped it, if it did. */
  readonly skipped: 'disabled' | 'tags' | null;
}

/**
 * The error for a CHAOS_TAGS run whose files ran but whose tests the expression all left out, or
 * undefined when some test ran or none was left out by it. `files` counts the files that ran, `ran` the
 * tests that passed or failed, `tests` holds the tests of those files.
 */
export function noTestSelectedError(expression: TagExpression, files: number, ran: number, tests: readonly TaggedTest[]): ChaosError | undefined {
  if (ran > 0) return undefined;
  const filtered = tests.filter((test) => test.skipped === 'tags').length;
  const disabled = tests.filter((test) => test.skipped === 'disabled' && expression.matches(new Set(test.tags))).length;
  if (filtered === 0 && disabled === 0) return undefined;
  const why =
    disabled > 0
      ? `the ${plural(disabled, 'test')} it selects ${disabled === 1 ? 'is a chaos test' : 'are chaos tests'} (in ${plural(files, 'file')} that ran), which ${disabled === 1 ? 'does' : 'do'} not run while chaos is disabled. Set CHAOS_ENABLED=1 to run ${disabled === 1 ? 'it' : 'them'}`
      : `${plural(files, 'file')} ran, but none of ${files === 1 ? 'its' : 'their'} ${plural(tests.length, 'test')} matches it: the run would pass while testing nothing. Change CHAOS_TAGS`;
  return new ChaosError('ERR_CHAOS_TAGS', `jest-chaos: CHAOS_TAGS=${JSON.stringify(expression.source)} selects no test of this run: ${why}, or pass --passWithNoTests to allow a run without tests.`);
}
