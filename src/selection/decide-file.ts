import { parseSuite } from '../pragma/parse';
import type { ChaosSettings } from '../settings/env';

/** Whether a test file runs in this run, decided from its source before Jest loads it. */
export interface FileDecision {
  readonly run: boolean;
  readonly chaosSuite: boolean;
  /** Why it does not run. */
  readonly reason?: 'disabled' | 'tags';
  /** The tags the file declares: its `@tag` names, plus `chaos` for a chaos suite or a file with inline chaos tests. */
  readonly declared: readonly string[];
  /** A chaos suite that CHAOS_TAGS would select, skipped because chaos is disabled. */
  readonly selectedButDisabled?: boolean;
}

/** A file that defines chaos tests inline may hold tests tagged `chaos` even when its docblock does not say so. */
const INLINE_CHAOS = /\bchaos\s*\.\s*(?:test|it|describe)\s*\(/;

export function decideFile(source: string, relativePath: string, settings: ChaosSettings): FileDecision {
  let chaosSuite: boolean;
  let tags: readonly string[];
  try {
    const suite = parseSuite(source, relativePath);
    chaosSuite = suite.isChaosSuite;
    tags = suite.tags;
  } catch {
    // A broken docblock: let the file run, so that the environment reports the mistake against it.
    return { run: true, chaosSuite: false, declared: [] };
  }
  const inline = !chaosSuite && INLINE_CHAOS.test(source);
  const declared = inline && !tags.includes('chaos') ? [...tags, 'chaos'] : tags;
  const expression = settings.tags;
  if (chaosSuite && !settings.enabled) {
    return { run: false, chaosSuite, reason: 'disabled', declared, selectedButDisabled: expression === undefined || expression.matches(new Set(tags)) };
  }
  if (expression === undefined) return { run: true, chaosSuite, declared };
  if (expression.matches(new Set(tags))) return { run: true, chaosSuite, declared };
  if (inline && settings.enabled && expression.matches(new Set([...tags, 'chaos']))) {
    return { run: true, chaosSuite, declared };
  }
  return { run: false, chaosSuite, reason: 'tags', declared };
}
