/**
 * Renders the real failures of a run as the fidelity tables of docs/db-and-cache.md: one table per driver,
 * one row per major and scenario, each cell from the real record (which the same run compared with the
 * injected one). Only the state facts that the injected scenario records are shown.
 */
import type { ErrorShape, Json } from './error-shape';
import type { ProbeRecord } from './real-db-failures';

export interface TableVersion {
  readonly driver: 'ioredis' | 'redis';
  readonly major: number;
  /** The probe ids' prefix for this major. */
  readonly prefix: string;
}

export interface TableRow {
  readonly id: string;
  readonly real: ProbeRecord;
  /** The state keys the injected scenario records. */
  readonly recorded: readonly string[];
}

const TITLES = { ioredis: 'ioredis', redis: 'node-redis (`redis`)' } as const;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function short(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function isShape(value: unknown): value is ErrorShape {
  return typeof value === 'object' && value !== null && 'class' in value && 'message' in value;
}

function error(shape: ErrorShape): string {
  const code = typeof shape.code === 'string' ? ` (${shape.code})` : '';
  const message = shape.message === '' ? ' (no message)' : ` \`${short(shape.message, 70)}\``;
  return `\`${shape.class}\`${message}${code}`;
}

function value(json: Json | undefined): string {
  if (isShape(json)) return error(json);
  return `\`${short(JSON.stringify(json ?? null, (_key, item: unknown) => (isShape(item) ? `${item.class}: ${item.message}` : item)), 60)}\``;
}

function outcome(record: { outcome: string; error?: ErrorShape; result?: Json }): string {
  if (record.outcome === 'rejected' && record.error !== undefined) {
    const previous = (record.error.extra?.['previousErrors'] as Json[] | undefined)?.length;
    return `rejects ${error(record.error)}${previous === undefined ? '' : `, \`previousErrors\`: ${previous}`}`;
  }
  if (record.outcome === 'resolved') return `resolves ${value(record.result)}`;
  return 'never settles';
}

function emitted(record: ProbeRecord): string {
  if (record.emitted.length === 0) return 'none';
  return record.emitted.map((entry) => `${error(entry.error)}${entry.repeated === true ? ' (more than once)' : ''}`).join('; ');
}

function after(row: TableRow): string {
  const facts: string[] = [];
  for (const key of row.recorded) {
    const fact = row.real.stateAfter[key];
    if (key === 'nextCall') facts.push(`next call ${outcome(fact as { outcome: string; error?: ErrorShape; result?: Json })}`);
    else if (fact !== undefined) facts.push(`${key}: ${typeof fact === 'string' ? fact : JSON.stringify(fact)}`);
  }
  return facts.length === 0 ? '–' : facts.join(', ');
}

/** The Markdown of the tables, one per driver, rows in the order given. */
export function fidelityTables(versions: readonly TableVersion[], rows: readonly TableRow[]): string {
  const out: string[] = [];
  for (const driver of ['ioredis', 'redis'] as const) {
    out.push(`#### ${TITLES[driver]}`, '', '| major | scenario | setup | the call | `\'error\'` emitted | after |', '| --- | --- | --- | --- | --- | --- |');
    for (const version of versions.filter((candidate) => candidate.driver === driver)) {
      for (const row of rows.filter((candidate) => candidate.id.startsWith(`${version.prefix}.`))) {
        const scenario = row.id.slice(version.prefix.length + 1);
        out.push(`| ${version.major} | \`${scenario}\` (${row.real.kind}) | ${cell(short(row.real.setup, 90))} | ${cell(outcome(row.real))} | ${cell(emitted(row.real))} | ${cell(after(row))} |`);
      }
    }
    out.push('');
  }
  return out.join('\n').trimEnd();
}

/** `text` with what stands between `<!-- name:start -->` and `<!-- name:end -->` replaced by `content`. */
export function replaceSection(text: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to < from) throw new Error(`${name}: the markers ${start} and ${end} are missing`);
  return `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`;
}
