import { parseTagExpression } from '../tags/expression';
import { emptySelectionError, noTestSelectedError, unknownTagsError } from './check-tags';

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

describe('noTestSelectedError', () => {
  const chaosTest = (skipped: 'disabled' | 'tags' | null) => ({ tags: ['payments', 'chaos'], skipped });
  const ordinary = (skipped: 'disabled' | 'tags' | null) => ({ tags: ['payments'], skipped });

  test('is undefined when a test ran, or when no test was left out by the expression', () => {
    expect(noTestSelectedError(parseTagExpression('not chaos'), 1, 1, [chaosTest('tags'), ordinary(null)])).toBeUndefined();
    // Skipped by the test file itself (.skip, -t): not the expression's doing.
    expect(noTestSelectedError(parseTagExpression('payments'), 1, 0, [ordinary(null)])).toBeUndefined();
    // Chaos tests skipped while chaos is off that the expression would not select either.
    expect(noTestSelectedError(parseTagExpression('payments and not chaos'), 1, 0, [chaosTest('disabled')])).toBeUndefined();
  });

  test('files ran but the expression matched none of their tests', () => {
    expect(noTestSelectedError(parseTagExpression('not chaos'), 1, 0, [chaosTest('tags'), chaosTest('tags')])?.message).toBe(
      'jest-chaos: CHAOS_TAGS="not chaos" selects no test of this run: 1 file ran, but none of its 2 tests matches it: the run would pass while testing nothing. Change CHAOS_TAGS, or pass --passWithNoTests to allow a run without tests.',
    );
    expect(noTestSelectedError(parseTagExpression('not chaos'), 2, 0, [chaosTest('tags'), chaosTest('tags'), chaosTest(null)])?.message).toContain('2 files ran, but none of their 3 tests matches it');
  });

  test('the tests it selects are chaos tests and chaos is off: says how to run them', () => {
    const error = noTestSelectedError(parseTagExpression('payments'), 1, 0, [chaosTest('disabled')]);
    expect(error?.code).toBe('ERR_CHAOS_TAGS');
    expect(error?.message).toBe(
      'jest-chaos: CHAOS_TAGS="payments" selects no test of this run: the 1 test it selects is a chaos test (in 1 file that ran), which does not run while chaos is disabled. Set CHAOS_ENABLED=1 to run it, or pass --passWithNoTests to allow a run without tests.',
    );
  });
});
