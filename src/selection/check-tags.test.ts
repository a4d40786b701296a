import { parseTagExpression } from '../tags/expression';
import { emptySelectionError, unknownTagsError } from './check-tags';

describe('unknownTagsError', () => {
  test('is undefined when every tag is declared; chaos is always known', () => {
    expect(unknownTagsError(parseTagExpression('chaos and not db'), ['db'])).toBeUndefined();
    expect(unknownTagsError(parseTagExpression('chaos'), [])).toBeUndefined();
  });

  test('names the tag, lists the known ones sorted and suggests the near miss', () => {
    const error = unknownTagsError(parseTagExpression('integraton'), ['slow', 'integration', 'slow']);
    expect(error?.code).toBe('ERR_CHAOS_TAGS');
    expect(error?.message).toBe(
      'jest-chaos: unknown tag "integraton" in CHAOS_TAGS="integraton": no test file of this run declares it. Known tags: chaos, integration, slow. Did you mean "integration"?',
    );
  });

  test('several unknown tags: each near miss is paired with its suggestion', () => {
    expect(unknownTagsError(parseTagExpression('chaso or nightly or slwo'), ['slow'])?.message).toBe(
      'jest-chaos: unknown tags "chaso", "nightly", "slwo" in CHAOS_TAGS="chaso or nightly or slwo": no test file of this run declares them. Known tags: chaos, slow. Did you mean "chaos" for "chaso", "slow" for "slwo"?',
    );
  });
});

test('emptySelectionError says what to do, and why when only disabled chaos suites match', () => {
  const expr = parseTagExpression('db');
  expect(emptySelectionError(expr, 1, 0).message).toBe(
    'jest-chaos: CHAOS_TAGS="db" selects no test file of this run (1 file): the run would pass while testing nothing. Change CHAOS_TAGS, or pass --passWithNoTests to allow a run without tests.',
  );
  expect(emptySelectionError(expr, 3, 2).message).toContain('it selects only chaos suites (2), which do not run while chaos is disabled. Set CHAOS_ENABLED=1 to run them, or pass --passWithNoTests');
});
