/** Words of identifiers, paths, URLs and SQL text, for the priority signals and the handling names. */

/** `chargeCard` -> charge, card; `order_total` -> order, total; `src/billing/Invoice.ts` -> src, billing, invoice, ts. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

/** Whether `word` is `entry` or one of its plural forms. */
function sameWord(word: string, entry: string): boolean {
  if (word === entry || word === `${entry}s` || word === `${entry}es`) return true;
  return entry.endsWith('y') && word === `${entry.slice(0, -1)}ies`;
}

/**
 * The first entry of `list` found in `tokens`: an entry is a word (`charge`, plural forms included) or
 * several joined by `-` (`order-total`), which must appear in that order, next to each other.
 */
export function findWord(tokens: readonly string[], list: readonly string[]): string | undefined {
  for (const entry of list) {
    const parts = words(entry);
    if (parts.length === 0) continue;
    for (let i = 0; i + parts.length <= tokens.length; i++) {
      if (parts.every((part, j) => (j === parts.length - 1 ? sameWord(tokens[i + j]!, part) : tokens[i + j] === part))) return entry;
    }
  }
  return undefined;
}
