/** Quotes a string for POSIX shells. */
function shellQuote(text: string): string {
  return /^[\w./:=@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A `-t` pattern that matches exactly this full test name. */
export function exactNamePattern(fullName: string): string {
  return `^${fullName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}

/** The command that reruns one test with the same faults. */
export function replayCommand(baseSeed: number, relativePath: string, fullName: string): string {
  return `CHAOS_ENABLED=1 CHAOS_SEED=${baseSeed} npx jest ${shellQuote(relativePath)} -t ${shellQuote(exactNamePattern(fullName))}`;
}
