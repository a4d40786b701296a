/** Quotes a string for POSIX shells. */
function shellQuote(text: string): string {
  return /^[\w./:=@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A `-t` pattern that matches exactly this full test name. */
export function exactNamePattern(fullName: string): string {
  return `^${fullName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}

/**
 * The command that reruns one test with the same faults; `strict` adds CHAOS_STRICT=1 (for a test that
 * strict mode failed, which would pass without it); `config` is the run's `--config`, as it was given.
 */
export function replayCommand(baseSeed: number, relativePath: string, fullName: string, options: { strict?: boolean; config?: string } = {}): string {
  const strict = options.strict === true ? ' CHAOS_STRICT=1' : '';
  const config = options.config === undefined || options.config === '' ? '' : ` --config ${shellQuote(options.config)}`;
  return `CHAOS_ENABLED=1 CHAOS_SEED=${baseSeed}${strict} npx jest${config} ${shellQuote(relativePath)} -t ${shellQuote(exactNamePattern(fullName))}`;
}
