import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import { once } from 'node:events';
import { selfSignedCert } from '../../__tests__/support/tls-cert';
import { parseRule } from '../rules/parse';
import { realmClock } from '../runtime/clock';
import { TestChaos } from '../runtime/test-chaos';
import { markRunning, runInTest } from '../runtime/test-context';
import { socketLayer } from './layer';

/** A loopback echo server: what a client sends comes back. */
let server: net.Server;
let port: number;
const serverSockets = new Set<net.Socket>();

beforeAll(async () => {
  socketLayer().install();
  server = net.createServer((socket) => {
    serverSockets.add(socket);
    socket.on('close', () => serverSockets.delete(socket));
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as net.AddressInfo).port;
});

afterAll(async () => {
  for (const socket of serverSockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
  socketLayer().dispose();
});

let tests: TestChaos[] = [];

/** A chaos test with these rules (`PORT` in a rule is the echo server's port), running until ended. */
function chaosTest(rules: string[], seed = 1): TestChaos {
  const test = new TestChaos(seed, 'a chaos test', realmClock(globalThis));
  test.disposers.add(markRunning(test));
  for (const text of rules) test.addRule(parseRule(text.replace('PORT', String(port)), 'layer.test.ts'));
  tests.push(test);
  return test;
}

afterEach(async () => {
  for (const test of tests) await test.dispose();
  tests = [];
});

/** Connects in the test's context, as the code under test would. */
function connect(test: TestChaos | undefined, host = '127.0.0.1'): net.Socket {
  const open = (): net.Socket => net.connect({ port, host });
  const socket = test === undefined ? open() : runInTest(test, open);
  socket.on('error', () => undefined);
  return socket;
}

/** Sends `text` and resolves with what came back once `length` bytes did, and the time it took. */
async function echo(socket: net.Socket, text: string, length = text.length): Promise<{ text: string; ms: number; reads: number }> {
  if (socket.connecting) await once(socket, 'connect');
  const started = Date.now();
  let got = '';
  let reads = 0;
  return new Promise((resolve, reject) => {
    const onData = (data: Buffer): void => {
      got += data.toString();
      reads += 1;
      if (got.length >= length) {
        socket.off('data', onData);
        resolve({ text: got, ms: Date.now() - started, reads });
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(text);
  });
}

function closeOf(socket: net.Socket): Promise<{ error: string | undefined; ended: boolean; ms: number }> {
  const started = Date.now();
  let error: string | undefined;
  let ended = false;
  socket.on('error', (caught: NodeJS.ErrnoException) => (error = `${caught.code} ${caught.message}`));
  socket.on('end', () => (ended = true));
  // events.once would reject on the 'error' that comes before the close.
  return new Promise((resolve) => socket.once('close', () => resolve({ error, ended, ms: Date.now() - started })));
}

describe('tcp rules on a connection the test opens', () => {
  test('no rule: the connection is Node’s own', async () => {
    const socket = connect(chaosTest([]));
    expect(await echo(socket, 'hello')).toMatchObject({ text: 'hello' });
    socket.destroy();
  });

  test('tcp.down: refused as a closed port is, and recorded', async () => {
    const test = chaosTest(['tcp.down 127.0.0.1:PORT']);
    const socket = connect(test, 'localhost');
    const [error] = (await once(socket, 'error')) as [NodeJS.ErrnoException & { address: string; port: number }];
    expect({ message: error.message, code: error.code, syscall: error.syscall, address: error.address, port: error.port }).toEqual({
      message: `connect ECONNREFUSED 127.0.0.1:${port}`,
      code: 'ECONNREFUSED',
      syscall: 'connect',
      address: '127.0.0.1',
      port,
    });
    expect(test.events).toEqual([{ seq: 1, rule: `tcp.down 127.0.0.1:${port}`, domain: 'tcp', kind: 'down', call: `localhost:${port}` }]);
  });

  test('a rule for another port or host leaves the connection alone, and counts as unmatched', async () => {
    const test = chaosTest([`tcp.down 127.0.0.1:${port === 1 ? 2 : 1}`, 'tcp.down db.internal:PORT']);
    const socket = connect(test);
    expect(await echo(socket, 'x')).toMatchObject({ text: 'x' });
    expect(test.unmatchedRules()).toHaveLength(2);
    socket.destroy();
  });

  test('times=1 refuses the first connection only; p draws per connection from the test seed', async () => {
    const test = chaosTest(['tcp.down *:PORT times=1']);
    const first = connect(test);
    await once(first, 'error');
    const second = connect(test);
    expect(await echo(second, 'ok')).toMatchObject({ text: 'ok' });
    second.destroy();
    const draws = async (seed: number): Promise<boolean[]> => {
      const drawn = chaosTest(['tcp.down *:PORT p=0.5'], seed);
      const outcomes: boolean[] = [];
      for (let i = 0; i < 8; i++) {
        const socket = connect(drawn);
        outcomes.push(await new Promise<boolean>((resolve) => (socket.once('connect', () => resolve(false)), socket.once('error', () => resolve(true)))));
        socket.destroy();
      }
      return outcomes;
    };
    const once1 = await draws(7);
    expect(await draws(7)).toEqual(once1);
    expect(once1).toContain(true);
    expect(once1).toContain(false);
  });

  test('tcp.latency: every chunk downstream comes ms later; the event has the delay', async () => {
    const test = chaosTest(['tcp.latency *:PORT ms=80']);
    const socket = connect(test);
    const { text, ms } = await echo(socket, 'slow');
    expect(text).toBe('slow');
    expect(ms).toBeGreaterThanOrEqual(75);
    expect(test.events).toEqual([{ seq: 1, rule: `tcp.latency *:${port} ms=80`, domain: 'tcp', kind: 'latency', call: `127.0.0.1:${port}`, delayMs: 80 }]);
    socket.destroy();
  });

  test('a faulted plain socket connects to the server itself: its addresses, its one connection attempt', async () => {
    const test = chaosTest(['tcp.latency *:PORT ms=1']);
    const socket = connect(test);
    const attempts: unknown[] = [];
    socket.on('connectionAttempt', (address: string, attemptPort: number) => attempts.push(`${address}:${attemptPort}`));
    expect(await echo(socket, 'who')).toMatchObject({ text: 'who' });
    expect([socket.remoteAddress, socket.remotePort, socket.remoteFamily]).toEqual(['127.0.0.1', port, 'IPv4']);
    expect(attempts).toEqual([`127.0.0.1:${port}`]);
    // The server sees the client's own port: no relay sits between them.
    expect([...serverSockets].map((each) => each.remotePort)).toContain(socket.localPort);
    expect(test.events.map((event) => event.call)).toEqual([`127.0.0.1:${port}`]);
    socket.destroy();
  });

  test('the event names the target as the client spelled it, whichever loopback spelling the rule has', async () => {
    const test = chaosTest(['tcp.latency 127.0.0.1:PORT ms=1', 'tcp.slicer localhost:PORT bytes=4']);
    for (const host of ['localhost', '127.0.0.1', 'LocalHost']) {
      const socket = connect(test, host);
      expect(await echo(socket, host)).toMatchObject({ text: host });
      socket.destroy();
    }
    expect(test.events.map((event) => `${event.kind} ${event.call}`)).toEqual(
      ['localhost', '127.0.0.1', 'LocalHost'].flatMap((host) => [`latency ${host}:${port}`, `slicer ${host}:${port}`]),
    );
  });

  test('tcp.latency direction=both delays both ways; chunks sent together are not delayed one after the other', async () => {
    const socket = connect(chaosTest(['tcp.latency *:PORT ms=50 direction=both']));
    await once(socket, 'connect');
    const started = Date.now();
    const replies = echo(socket, 'abcdef');
    const { ms } = await replies;
    expect(ms).toBeGreaterThanOrEqual(95);
    expect(Date.now() - started).toBeLessThan(400);
    socket.destroy();
  });

  test('tcp.reset: the client reads ECONNRESET after ms from the first chunk', async () => {
    const test = chaosTest(['tcp.reset *:PORT ms=30']);
    const socket = connect(test);
    await once(socket, 'connect');
    const closed = closeOf(socket);
    socket.write('ping');
    const { error, ms } = await closed;
    expect(error).toBe('ECONNRESET read ECONNRESET');
    expect(ms).toBeGreaterThanOrEqual(25);
    expect(test.events.map((event) => [event.kind, event.delayMs])).toEqual([['reset', 30]]);
  });

  test('tcp.timeout: no data; the connection closes after ms', async () => {
    const socket = connect(chaosTest(['tcp.timeout *:PORT ms=100']));
    await once(socket, 'connect');
    const closed = closeOf(socket);
    let got = '';
    socket.on('data', (data: Buffer) => (got += data.toString()));
    socket.write('anyone?');
    const { error, ended, ms } = await closed;
    expect({ error, ended, got }).toEqual({ error: undefined, ended: true, got: '' });
    expect(ms).toBeGreaterThanOrEqual(80);
  });

  test('tcp.timeout without ms: the server’s replies and its close are swallowed; the connection closes when the test ends', async () => {
    const test = chaosTest(['tcp.timeout *:PORT']);
    const socket = connect(test);
    await once(socket, 'connect');
    const closed = closeOf(socket);
    let got = '';
    socket.on('data', (data: Buffer) => (got += data.toString()));
    socket.write('anyone?');
    await new Promise((resolve) => setTimeout(resolve, 30));
    serverSockets.forEach((peer) => peer.end());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect([got, socket.readableEnded, socket.destroyed]).toEqual(['', false, false]);
    await test.dispose();
    expect(await closed).toMatchObject({ error: undefined, ended: true });
  });

  test('tcp.limit-data: bytes come through, then the connection closes', async () => {
    const test = chaosTest(['tcp.limit-data *:PORT bytes=5']);
    const socket = connect(test);
    await once(socket, 'connect');
    const closed = closeOf(socket);
    let got = '';
    socket.on('data', (data: Buffer) => (got += data.toString()));
    socket.write('0123456789');
    expect(await closed).toMatchObject({ error: undefined, ended: true });
    expect(got).toBe('01234');
    expect(test.events.map((event) => event.kind)).toEqual(['limit-data']);
  });

  test('tcp.limit-data downstream: the close is a peer’s close for the client’s writes too; until then they go as Node writes them', async () => {
    const test = chaosTest(['tcp.limit-data *:PORT bytes=5']);
    const socket = connect(test);
    await once(socket, 'connect');
    // No rule acts upstream: what the client writes is the kernel's at once, as Node counts it.
    socket.write('01');
    expect(socket.bytesWritten).toBe(2);
    const closed = closeOf(socket);
    let got = '';
    socket.on('data', (data: Buffer) => (got += data.toString()));
    socket.write('23456789');
    await once(socket, 'end');
    expect(got).toBe('01234');
    // As with a server that closed: Node refuses a write after the peer's FIN on a socket that is not half-open.
    const late = new Promise<Error | null | undefined>((resolve) => socket.write('late', resolve));
    expect(await late).toMatchObject({ code: 'EPIPE', message: 'This socket has been ended by the other party' });
    expect(await closed).toMatchObject({ ended: true });
  });

  test('tcp.latency upstream only: what the client writes comes late, what the server sends does not', async () => {
    const socket = connect(chaosTest(['tcp.latency *:PORT ms=80 direction=upstream']));
    await once(socket, 'connect');
    const { ms } = await echo(socket, 'late');
    expect(ms).toBeGreaterThanOrEqual(75);
    const started = Date.now();
    const pushed = once(socket, 'data');
    serverSockets.forEach((peer) => peer.write('now'));
    expect(String((await pushed)[0])).toBe('now');
    expect(Date.now() - started).toBeLessThan(60);
    socket.destroy();
  });

  test('tcp.latency: the idle timeout counts from when the client is given the data, as behind a slow proxy', async () => {
    const socket = connect(chaosTest(['tcp.latency *:PORT ms=250']));
    await once(socket, 'connect');
    const started = Date.now();
    socket.setTimeout(100);
    const timedOut = once(socket, 'timeout').then(() => Date.now() - started);
    const given = once(socket, 'data').then(() => Date.now() - started);
    // The server sends at 60 ms: the kernel has it then, the client is given it 250 ms later.
    await new Promise((resolve) => setTimeout(resolve, 60));
    serverSockets.forEach((peer) => peer.write('late'));
    expect(await timedOut).toBeLessThan(140);
    expect(await given).toBeGreaterThanOrEqual(290);
    socket.destroy();
  });

  test('tcp.slicer: one chunk arrives in slices', async () => {
    const socket = connect(chaosTest(['tcp.slicer *:PORT bytes=4 ms=5']));
    const { text, reads } = await echo(socket, 'x'.repeat(40));
    expect(text).toBe('x'.repeat(40));
    expect(reads).toBeGreaterThanOrEqual(5);
    socket.destroy();
  });

  test('tcp.bandwidth: at most rate KB/s', async () => {
    const socket = connect(chaosTest(['tcp.bandwidth *:PORT rate=100']));
    const { ms } = await echo(socket, 'x'.repeat(20_000));
    // 20,000 bytes at 100,000 bytes/s: 200 ms.
    expect(ms).toBeGreaterThanOrEqual(180);
    socket.destroy();
  });

  test('tcp.slow-close: the close reaches the client ms late', async () => {
    const socket = connect(chaosTest(['tcp.slow-close *:PORT ms=100']));
    await once(socket, 'connect');
    serverSockets.forEach((peer) => peer.end());
    const started = Date.now();
    await once(socket, 'end');
    expect(Date.now() - started).toBeGreaterThanOrEqual(80);
    socket.destroy();
  });

  test('when the test ends its toxics go: held data comes through, the connection carries on plain', async () => {
    const test = chaosTest(['tcp.latency *:PORT ms=60000']);
    const socket = connect(test);
    const held = echo(socket, 'held');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await test.dispose();
    expect(await held).toMatchObject({ text: 'held' });
    expect(await echo(socket, 'plain')).toMatchObject({ text: 'plain' });
    socket.destroy();
  });

  test('when the test ends the socket gets Node’s own methods back', async () => {
    const test = chaosTest(['tcp.latency *:PORT ms=1 direction=both']);
    const socket = connect(test);
    const own = Object.getOwnPropertyNames(socket);
    expect(await echo(socket, 'faulted')).toMatchObject({ text: 'faulted' });
    expect(Object.getOwnPropertyNames(socket)).toEqual(expect.arrayContaining(['push', '_writeGeneric', '_final', 'bytesRead']));
    await test.dispose();
    await new Promise((resolve) => setImmediate(resolve));
    expect(Object.getOwnPropertyNames(socket).filter((name) => !own.includes(name))).toEqual(
      Object.getOwnPropertyNames(connect(undefined)).filter((name) => !own.includes(name)),
    );
    expect(Object.getOwnPropertyNames((socket as net.Socket & { _handle: object })._handle)).not.toContain('isStreamBase');
    expect(await echo(socket, 'plain')).toMatchObject({ text: 'plain' });
    socket.destroy();
  });

  test('bytesWritten and bytesRead count what the client wrote and what it was given, not what the toxics hold', async () => {
    const test = chaosTest(['tcp.timeout *:PORT']);
    const socket = connect(test);
    await once(socket, 'connect');
    socket.write('swallowed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The echo server sent the 9 bytes back; the toxic holds them from the client.
    expect([socket.bytesWritten, socket.bytesRead]).toEqual([9, 0]);
    socket.destroy();
  });

  test('a large transfer both ways under toxics keeps every byte in order, with a reader that pauses', async () => {
    const socket = connect(chaosTest(['tcp.latency *:PORT ms=1 direction=both', 'tcp.slicer *:PORT bytes=65536 direction=upstream']));
    await once(socket, 'connect');
    const sent = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < sent.length; i++) sent[i] = (i * 7 + (i >> 10)) & 0xff;
    const chunks: Buffer[] = [];
    let length = 0;
    const received = new Promise<void>((resolve) => {
      socket.on('data', (data: Buffer) => {
        chunks.push(data);
        length += data.length;
        if (chunks.length % 8 === 0) {
          socket.pause();
          setTimeout(() => socket.resume(), 2);
        }
        if (length >= sent.length) resolve();
      });
    });
    socket.write(sent);
    await received;
    expect(Buffer.concat(chunks).equals(sent)).toBe(true);
    expect([socket.bytesWritten, socket.bytesRead]).toEqual([sent.length, sent.length]);
    socket.destroy();
  });

  test('a server that sends faster than a slow reader takes it, under a delay: the toxics hold a bounded amount', async () => {
    const size = 32 * 1024 * 1024;
    const bulk = net.createServer((peer) => {
      peer.on('error', () => undefined);
      peer.end(Buffer.alloc(size, 7));
    });
    bulk.listen(0, '127.0.0.1');
    await once(bulk, 'listening');
    const bulkPort = (bulk.address() as net.AddressInfo).port;
    const socket = runInTest(chaosTest([`tcp.latency *:${bulkPort} ms=20`]), () => net.connect({ port: bulkPort, host: '127.0.0.1' }));
    // What the kernel has read that the client has not been given yet: held by the toxics, in memory.
    const held = (): number => (Reflect.get(net.Socket.prototype, 'bytesRead', socket) as number) - socket.bytesRead;
    let most = 0;
    let got = 0;
    const sample = setInterval(() => (most = Math.max(most, held())), 1);
    socket.on('data', (data: Buffer) => {
      got += data.length;
      most = Math.max(most, held());
      // A slow reader: it takes a millisecond per chunk.
      socket.pause();
      setTimeout(() => socket.resume(), 1);
    });
    await once(socket, 'end');
    clearInterval(sample);
    socket.destroy();
    bulk.close();
    expect(got).toBe(size);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThan(1024 * 1024);
  }, 30_000);

  test('an HTTP/2 session over a plain socket (h2c) stays under the toxics', async () => {
    const h2 = http2.createServer((request, response) => response.end('h2c'));
    h2.listen(0, '127.0.0.1');
    await once(h2, 'listening');
    const h2Port = (h2.address() as net.AddressInfo).port;
    const session = runInTest(chaosTest([`tcp.latency 127.0.0.1:${h2Port} ms=40`]), () => http2.connect(`http://127.0.0.1:${h2Port}`));
    session.on('error', () => undefined);
    await once(session, 'connect');
    const started = Date.now();
    const request = session.request({ ':path': '/' });
    let body = '';
    request.on('data', (data: Buffer) => (body += data.toString()));
    await once(request, 'end');
    expect(body).toBe('h2c');
    // The server's frames came 40 ms late.
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    session.destroy();
    await new Promise((resolve) => h2.close(resolve));
  });

  test('a connection opened outside any chaos test is never faulted', async () => {
    chaosTest(['tcp.down *:PORT']);
    const outside = new Promise<net.Socket>((resolve) => setImmediate(() => resolve(connect(undefined))));
    // Two running tests: a call outside both belongs to neither.
    chaosTest([]);
    const socket = await outside;
    expect(await echo(socket, 'free')).toMatchObject({ text: 'free' });
    socket.destroy();
  });
});

describe('TLS: the toxics act on the encrypted stream, below TLS', () => {
  let tlsServer: tls.Server;
  let tlsPort: number;
  beforeAll(async () => {
    const { key, cert } = selfSignedCert();
    tlsServer = tls.createServer({ key, cert }, (socket) => {
      socket.on('error', () => undefined);
      socket.pipe(socket);
    });
    tlsServer.listen(0, '127.0.0.1');
    await once(tlsServer, 'listening');
    tlsPort = (tlsServer.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => tlsServer.close(resolve)));

  const tlsConnect = (test: TestChaos): tls.TLSSocket =>
    runInTest(test, () => {
      const socket = tls.connect({ port: tlsPort, host: '127.0.0.1', rejectUnauthorized: false });
      socket.on('error', () => undefined);
      return socket;
    });

  /** Under `tcp.latency ms=40`: the server's handshake flight comes 40 ms late, then each echo, the plaintext intact. */
  async function expectLateUnderTls(socket: tls.TLSSocket, started: number): Promise<void> {
    await once(socket, 'secureConnect');
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    const { text, ms } = await echo(socket, 'secret');
    expect(text).toBe('secret');
    expect(ms).toBeGreaterThanOrEqual(35);
  }

  test('tcp.latency: the handshake and every record come late, the plaintext is intact', async () => {
    const test = chaosTest([`tcp.latency 127.0.0.1:${tlsPort} ms=40`]);
    const started = Date.now();
    const socket = tlsConnect(test);
    await expectLateUnderTls(socket, started);
    socket.destroy();
  });

  test('a plain connection upgraded to TLS (STARTTLS) stays under its toxics, below TLS', async () => {
    const { key, cert } = selfSignedCert();
    const accepted = new Set<net.Socket>();
    const plain = net.createServer((socket) => {
      accepted.add(socket);
      socket.on('error', () => undefined);
      socket.once('data', () => {
        const secure = new tls.TLSSocket(socket, { isServer: true, key, cert });
        secure.on('error', () => undefined);
        secure.pipe(secure);
        socket.write('OK');
      });
    });
    plain.listen(0, '127.0.0.1');
    await once(plain, 'listening');
    const plainPort = (plain.address() as net.AddressInfo).port;
    const test = chaosTest([`tcp.latency 127.0.0.1:${plainPort} ms=40`]);
    const socket = runInTest(test, () => net.connect({ port: plainPort, host: '127.0.0.1' }));
    socket.on('error', () => undefined);
    expect(await echo(socket, 'STARTTLS', 2)).toMatchObject({ text: 'OK' });
    const started = Date.now();
    const secure = tls.connect({ socket, rejectUnauthorized: false });
    secure.on('error', () => undefined);
    await expectLateUnderTls(secure, started);
    secure.destroy();
    for (const each of accepted) each.destroy();
    await new Promise((resolve) => plain.close(resolve));
  });

  test('tcp.reset: the TLS client reads ECONNRESET', async () => {
    const socket = tlsConnect(chaosTest([`tcp.reset 127.0.0.1:${tlsPort}`]));
    const { error } = await closeOf(socket);
    expect(error).toBe('ECONNRESET read ECONNRESET');
  });
});
