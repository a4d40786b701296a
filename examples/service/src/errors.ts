/** Error codes that mean "the other side is unreachable", as Node, undici and the drivers report them. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', '57P01']);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Native fetch wraps the socket error: TypeError('fetch failed') with the real one as `cause`.
  return codeOf((error as { cause?: unknown }).cause);
}

/** True when the error says the connection could not be made, dropped or timed out. */
export function isConnectionError(error: unknown): boolean {
  const code = codeOf(error);
  if (code !== undefined && CONNECTION_CODES.has(code)) return true;
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError' || /Connection terminated|Connection is closed/i.test(String((error as Error | null)?.message));
}

/** The error's code, for responses and logs. */
export function describeError(error: unknown): string {
  return codeOf(error) ?? (error as Error | null)?.name ?? 'unknown';
}

/** A dependency the service needs is unavailable; the API answers 503. */
export class UnavailableError extends Error {
  readonly unavailable = true;

  constructor(readonly dependency: string, readonly reason: string) {
    super(`${dependency} unavailable (${reason})`);
    this.name = 'UnavailableError';
  }
}

export function isUnavailableError(error: unknown): error is UnavailableError {
  return typeof error === 'object' && error !== null && (error as { unavailable?: unknown }).unavailable === true;
}
