import { Duplex } from 'node:stream';
import tls from 'node:tls';
import { replaceProperty } from '../runtime/patches';
import type { Disposer } from '../runtime/scope';
import { detached } from './detached';

/** `TLSSocket.prototype._wrapHandle` as Node defines it: TLS takes the handle of the stream it wraps. */
type WrapHandle = (this: tls.TLSSocket, wrap: unknown, handle: unknown, ...rest: unknown[]) => unknown;

/** Node's wrapper for a stream without a handle of its own (`JSStreamSocket`): TLS reads and writes it in JS. */
type StreamWrapper = new (stream: Duplex) => { readonly _handle: unknown };

let streamWrapper: StreamWrapper | undefined;

/** Node's JSStreamSocket, found once from a TLS socket over a stream without a handle. */
function wrapperClass(): StreamWrapper {
  streamWrapper ??= detached(() => {
    const probe = new tls.TLSSocket(new Duplex({ read: () => undefined, write: (_chunk, _encoding, done) => done() }));
    const wrapper = (probe as unknown as { _handle: { _parentWrap: { constructor: StreamWrapper } } })._handle._parentWrap.constructor;
    probe.destroy();
    return wrapper;
  });
  return streamWrapper;
}

/**
 * Keeps a plain connection that tcp rules fault on its own socket under its toxics when the client upgrades
 * it to TLS (STARTTLS: `tls.connect({ socket })`, `new tls.TLSSocket(socket)`). TLS would take the socket's
 * handle and read and write the kernel below the toxics; for such a socket it gets Node's stream wrapper
 * instead, as for any stream without a handle, and its encrypted bytes go through the socket's own methods,
 * which the toxics hold. `faulted` tells which sockets are taken over now.
 */
export function keepUpgradesFaulted(faulted: (socket: unknown) => boolean): Disposer {
  const proto = tls.TLSSocket.prototype as unknown as { _wrapHandle?: WrapHandle };
  const original = proto._wrapHandle;
  if (typeof original !== 'function') return () => undefined;
  return replaceProperty(proto, '_wrapHandle', function _wrapHandle(this: tls.TLSSocket, wrap: unknown, handle: unknown, ...rest: unknown[]): unknown {
    if (!faulted(wrap)) return original.call(this, wrap, handle, ...rest);
    const stream = new (wrapperClass())(wrap as Duplex);
    return original.call(this, stream, stream._handle, ...rest);
  });
}
