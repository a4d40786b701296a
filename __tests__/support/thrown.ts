/** The error that `run` throws; fails the test when it throws none. */
export function errorOf(run: () => unknown): Error & { code?: unknown } {
  try {
    run();
  } catch (error) {
    return error as Error & { code?: unknown };
  }
  throw new Error('expected an error');
}
