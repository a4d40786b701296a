/**
 * A throwaway self-signed certificate for loopback TLS servers (CN=localhost,
 * SAN DNS:localhost and IP:127.0.0.1, valid for one day). Made with `openssl` when it
 * is on PATH, otherwise built with node:crypto. Clients must skip verification.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsMaterial {
  readonly key: string;
  readonly cert: string;
  readonly source: 'openssl' | 'node:crypto';
}

let cached: TlsMaterial | undefined;

/** The certificate for this process, made on first use. */
export function selfSignedCert(): TlsMaterial {
  cached ??= hasOpenssl() ? tryOpenssl() ?? withNodeCrypto() : withNodeCrypto();
  return cached;
}

function hasOpenssl(): boolean {
  return spawnSync('which', ['openssl'], { stdio: 'ignore' }).status === 0;
}

function tryOpenssl(): TlsMaterial | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'jest-chaos-tls-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=localhost',
        '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { stdio: 'ignore', timeout: 10_000 },
    );
    return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), source: 'openssl' };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Minimal DER encoding, enough for one X.509 v3 certificate.
function der(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let length: Buffer;
  if (n < 0x80) length = Buffer.from([n]);
  else if (n < 0x100) length = Buffer.from([0x81, n]);
  else length = Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}
const seq = (...items: Buffer[]): Buffer => der(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => der(0x31, Buffer.concat(items));
const utf8 = (text: string): Buffer => der(0x0c, Buffer.from(text, 'utf8'));
const octets = (content: Buffer): Buffer => der(0x04, content);
const explicit = (n: number, content: Buffer): Buffer => der(0xa0 + n, content);

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const part of rest) {
    const chunk = [part & 0x7f];
    for (let v = part >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  return der(0x17, Buffer.from(text, 'ascii'));
}

/** A random positive serial in minimal DER form: top bit clear, first byte never zero. */
function serialNumber(): Buffer {
  const bytes = randomBytes(8);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return der(0x02, bytes);
}

function withNodeCrypto(): TlsMaterial {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ecdsaWithSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const name = seq(set(seq(oid('2.5.4.3'), utf8('localhost'))));
  const now = Date.now();
  const subjectAltName = seq(
    der(0x82, Buffer.from('localhost', 'ascii')),
    der(0x87, Buffer.from([127, 0, 0, 1])),
  );
  const tbs = seq(
    explicit(0, der(0x02, Buffer.from([2]))),
    serialNumber(),
    ecdsaWithSha256,
    name,
    seq(utcTime(new Date(now - 60_000)), utcTime(new Date(now + 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(seq(oid('2.5.29.17'), octets(subjectAltName)))),
  );
  const signature = sign('sha256', tbs, privateKey);
  const certDer = seq(tbs, ecdsaWithSha256, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const body = certDer.toString('base64').replace(/.{1,64}/g, '$&\n');
  const cert = `-----BEGIN CERTIFICATE-----\n${body}-----END CERTIFICATE-----\n`;
  // Parses the result, so a malformed certificate fails here and not in a TLS handshake.
  new X509Certificate(cert);
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { key, cert, source: 'node:crypto' };
}

/** Exposed so the fallback path can be exercised where openssl is installed. */
export const selfSignedCertWithNodeCrypto = withNodeCrypto;
