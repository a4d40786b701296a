/**
 * Strings as far as a parser can know them: a sequence of constant parts and dynamic parts (the source
 * text of an expression whose value is only known at run time).
 */

export type TextPart = { readonly text: string } | { readonly dynamic: string };

export interface StaticText {
  readonly parts: readonly TextPart[];
  /** Environment variables the value falls back from (`process.env.API_URL ?? 'https://...'`). */
  readonly env: readonly string[];
}

export const UNKNOWN_TEXT = (expression: string): StaticText => ({ parts: [{ dynamic: expression }], env: [] });

export function constantText(text: string): StaticText {
  return { parts: [{ text }], env: [] };
}

/** Concatenation, merging neighbouring constant parts. */
export function joinText(...texts: StaticText[]): StaticText {
  const parts: TextPart[] = [];
  for (const text of texts) {
    for (const part of text.parts) {
      const last = parts[parts.length - 1];
      if ('text' in part && last !== undefined && 'text' in last) parts[parts.length - 1] = { text: last.text + part.text };
      else if (!('text' in part && part.text === '')) parts.push(part);
    }
  }
  return { parts, env: [...new Set(texts.flatMap((text) => text.env))] };
}

/** The whole value when it has no dynamic part. */
export function fullText(text: StaticText): string | undefined {
  if (text.parts.length === 0) return '';
  return text.parts.length === 1 && 'text' in text.parts[0]! ? text.parts[0].text : undefined;
}

/** The constant text before the first dynamic part. */
export function prefixOf(text: StaticText): string {
  const first = text.parts[0];
  return first !== undefined && 'text' in first ? first.text : '';
}

/** The value for display: dynamic parts as `${expression}` (shortened). */
export function displayText(text: StaticText): string {
  return text.parts.map((part) => ('text' in part ? part.text : `\${${shorten(part.dynamic)}}`)).join('');
}

/** The value as a glob: each dynamic part is `*`. */
export function globText(text: StaticText): string {
  return text.parts.map((part) => ('text' in part ? part.text.replace(/\*/g, '') : '*')).join('');
}

function shorten(expression: string): string {
  const flat = expression.replace(/\s+/g, ' ');
  return flat.length > 32 ? `${flat.slice(0, 31)}…` : flat;
}

export interface UrlInfo {
  /** `https:`, `http:`, ... when known. */
  readonly protocol: string | undefined;
  /** Host name and port as a URL's `host` shows them (`api.example.com`, `localhost:8080`). */
  readonly host: string;
  readonly hostname: string;
  /** A URL that stands for the call in target matching: dynamic parts replaced by `x`. */
  readonly sample: URL;
}

/**
 * The scheme and host of a URL whose constant prefix names them completely: `https://api.example.com/...`,
 * or `https://api.example.com` followed by a dynamic part. undefined when the host is dynamic.
 */
export function urlInfo(text: StaticText): UrlInfo | undefined {
  const prefix = prefixOf(text);
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(prefix);
  if (scheme === null) return undefined;
  const rest = prefix.slice(scheme[0].length);
  const end = rest.search(/[/?#]/);
  let authority = end === -1 ? rest : rest.slice(0, end);
  if (end === -1 && text.parts.length > 1) {
    // The prefix stops inside the authority: a host followed by a dynamic port (`http://localhost:${port}`)
    // is known; a host cut short (`https://api-${env}.example.com`) is not.
    if (authority.endsWith(':')) authority = authority.slice(0, -1);
    else if (/[.-]$/.test(authority) || !/^[\w.-]+(?::\d+)?$|^\[[\da-f:]+\](?::\d+)?$/i.test(authority)) return undefined;
  }
  if (authority === '' || authority.includes('@')) return undefined;
  const sampleText = text.parts.map((part) => ('text' in part ? part.text : 'x')).join('');
  try {
    const authorityUrl = new URL(`${scheme[1]}//${authority}/`);
    let sample: URL;
    try {
      sample = new URL(sampleText);
    } catch {
      sample = authorityUrl;
    }
    return { protocol: scheme[1]!.toLowerCase(), host: authorityUrl.host, hostname: authorityUrl.hostname, sample };
  } catch {
    return undefined;
  }
}
