import net from 'node:net';
import { readConnectArgs } from './connect-args';
import { refuseConnection } from './refusal';
import type { RealConnect } from './hold';

const REAL_CONNECT = net.Socket.prototype.connect as RealConnect;

/** A loopback port where nothing listens: taken, then given back. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const EVENTS = ['lookup', 'connectionAttempt', 'connectionAttemptFailed', 'connect', 'close'];

/** Node's own errors come from outside the test realm, where `instanceof Error` fails. */
const isError = (value: unknown): value is Error => Object.prototype.toString.call(value) === '[object Error]';

/** What a client sees of one connection attempt: the events in order, the error, the socket's state after. */
function observe(socket: net.Socket): Promise<unknown> {
  const seen: unknown[] = [];
  for (const name of EVENTS) socket.on(name, (...args: unknown[]) => seen.push([name, ...args.map((arg) => (isError(arg) ? `error ${arg.message}` : arg))]));
  return new Promise((resolve) => {
    socket.on('error', (error: Error & Record<string, unknown>) => {
      socket.once('close', () =>
        resolve({
          seen,
          error: {
            name: error.name,
            constructor: error.constructor.name,
            message: error.message,
            own: { ...error },
            errors: (error as unknown as AggregateError).errors?.map((inner: Error) => ({ message: inner.message, own: { ...inner } })),
            firstLine: String(error.stack).split('\n')[0],
          },
          state: { connecting: socket.connecting, destroyed: socket.destroyed, readyState: socket.readyState },
        }),
      );
    });
  });
}

/** The same connect, once for real against a closed port and once refused by jest-chaos. */
async function both(options: (port: number) => net.NetConnectOpts): Promise<[unknown, unknown]> {
  const port = await closedPort();
  const client = new net.Socket();
  const real = observe(client);
  client.connect(options(port));
  const socket = new net.Socket();
  const refused = observe(socket);
  refuseConnection(socket, readConnectArgs([options(port)]), REAL_CONNECT);
  return [await real, await refused];
}

/** A lookup that answers with two loopback addresses, one per family (both refuse). */
const twoAddresses: net.LookupFunction = (_host, options, callback) => {
  const all = [
    { address: '127.0.0.1', family: 4 },
    { address: '::1', family: 6 },
  ];
  if ((options as { all?: boolean }).all === true) (callback as unknown as (error: null, all: typeof all) => void)(null, all);
  else callback(null, '127.0.0.1', 4);
};

describe('refuseConnection: what the client sees equals a real closed port', () => {
  test.each([
    ['an IPv4 address', (port: number) => ({ port, host: '127.0.0.1' })],
    ['an IPv6 address', (port: number) => ({ port, host: '::1' })],
    ['a name (localhost)', (port: number) => ({ port, host: 'localhost' })],
    ['no host', (port: number) => ({ port })],
    ['a name with autoSelectFamily off', (port: number) => ({ port, host: 'localhost', autoSelectFamily: false })],
    ['a name with family 4', (port: number) => ({ port, host: 'localhost', family: 4 })],
    ['a name with two addresses (AggregateError)', (port: number) => ({ port, host: 'db.test', lookup: twoAddresses })],
    ['a name with two addresses, autoSelectFamily off', (port: number) => ({ port, host: 'db.test', lookup: twoAddresses, autoSelectFamily: false })],
  ])('%s', async (_name, options) => {
    const [real, refused] = await both(options);
    expect(refused).toEqual(real);
  });

  test('a failed lookup fails as it does without jest-chaos', async () => {
    const failing: net.LookupFunction = (_host, _options, callback) => callback(Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.test'), { code: 'ENOTFOUND' }), '', 4);
    const [real, refused] = await both((port) => ({ port, host: 'nowhere.test', lookup: failing }));
    expect(refused).toEqual(real);
  });

  test('the connect callback never runs; a socket destroyed meanwhile gets no error', async () => {
    const port = await closedPort();
    const socket = new net.Socket();
    const errors: unknown[] = [];
    socket.on('error', (error) => errors.push(error));
    const callback = jest.fn();
    refuseConnection(socket, readConnectArgs([port, '127.0.0.1', callback]), REAL_CONNECT);
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(errors).toEqual([]);
    expect(callback).not.toHaveBeenCalled();
  });
});

describe('readConnectArgs', () => {
  test('every form of connect()', () => {
    const callback = (): void => undefined;
    expect(readConnectArgs([5432, 'db', callback])).toMatchObject({ port: 5432, host: 'db', callback });
    expect(readConnectArgs(['5432', callback])).toMatchObject({ port: 5432, host: 'localhost', callback });
    expect(readConnectArgs(['/tmp/socket', callback])).toMatchObject({ port: undefined, options: { path: '/tmp/socket' } });
    expect(readConnectArgs([{ port: 1, host: '' }])).toMatchObject({ port: 1, host: 'localhost', callback: undefined });
    expect(readConnectArgs([{ port: 70000 }])).toMatchObject({ port: undefined });
  });
});
