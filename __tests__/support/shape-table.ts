/** Renders observed client results as the Markdown table in http-shapes.md. */
import type { CallResult } from './http-clients';
import { type ErrorFields, shapeOf } from './error-shape';

export interface ObservedRow {
  readonly client: string;
  readonly condition: string;
  readonly result: CallResult;
}

function cell(value: string | number | undefined): string {
  return value === undefined ? '' : String(value).replace(/\|/g, '\\|');
}

/** As inline code, so that `<port>` is not read as an HTML tag. */
function code(value: string | number | undefined): string {
  return value === undefined || value === '' ? '' : `\`${cell(value)}\``;
}

function nameOf(fields: ErrorFields): string {
  const name = fields.name ?? '(none)';
  return fields.constructorName !== undefined && fields.constructorName !== name ? `${name} (${fields.constructorName})` : name;
}

function causeOf(cause: ErrorFields | undefined): string {
  if (cause === undefined) return '';
  const details = [cause.code, cause.errno, cause.syscall].filter((v) => v !== undefined).join(', ');
  return `${nameOf(cause)}: ${code(cause.messagePattern)}${details === '' ? '' : ` (${details})`}`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`.replace(/ {2}\|/g, ' |');
}

export function renderRow({ client, condition, result }: ObservedRow): string {
  if (result.ok) {
    const retry = result.headers['retry-after'];
    const summary = `response ${result.status}${retry === undefined ? '' : `, retry-after: ${retry}`}, body "${cell(result.body)}"`;
    return row([client, condition, '(no error)', summary, '', '', '', '']);
  }
  const shape = shapeOf(result.error);
  return row([
    client,
    condition,
    cell(nameOf(shape)),
    code(shape.messagePattern),
    code(shape.code),
    code(shape.errno),
    code(shape.syscall),
    causeOf(shape.cause),
  ]);
}

export function renderTable(rows: readonly ObservedRow[]): string {
  const header = [
    '| client | condition | name (constructor) | message pattern | code | errno | syscall | cause |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  return [...header, ...rows.map(renderRow)].join('\n');
}
