/** Undoes exactly one side effect. */
export type Disposer = () => void | Promise<void>;

/**
 * Holds the disposers of one lifetime (a test, a file) and runs them last-in first-out.
 * Every disposer runs even when an earlier one throws; the first error is rethrown after all ran.
 */
export class DisposerStack {
  private readonly disposers: Disposer[] = [];

  add(disposer: Disposer): void {
    this.disposers.push(disposer);
  }

  async dispose(): Promise<void> {
    const errors: unknown[] = [];
    while (this.disposers.length > 0) {
      const disposer = this.disposers.pop()!;
      try {
        await disposer();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  }
}
