/**
 * The provider's TLS certificate: ECDSA P-256, self-signed, SAN `DNS:localhost` (Terraform
 * refuses a CN alone), usable for server and client auth, as go-plugin makes its own. Built
 * with a small DER writer: a certificate library costs 100-200 ms on every provider launch.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import {
  bitString,
  boolean,
  explicit,
  implicit,
  objectIdentifier,
  octetString,
  sequence,
  set,
  unsignedInteger,
  utcTime,
  utf8String,
} from './der-writer.js';

export interface SelfSignedCertificate {
  /** DER bytes, as the handshake line carries them. */
  readonly der: Buffer;
  readonly certPem: string;
  readonly keyPem: string;
}

const ecdsaWithSha256 = sequence(objectIdentifier('1.2.840.10045.4.3.2'));
const name = sequence(set(sequence(objectIdentifier('2.5.4.3'), utf8String('localhost'))));

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(objectIdentifier(oid), ...(critical ? [boolean(true)] : []), octetString(value));
}

const extensions = explicit(
  3,
  sequence(
    extension('2.5.29.19', true, sequence(boolean(true))),
    // digitalSignature, keyEncipherment, keyCertSign: 0b10100100, the last two bits unused.
    extension('2.5.29.15', true, bitString(Buffer.from([0xa4]), 2)),
    extension(
      '2.5.29.37',
      false,
      sequence(objectIdentifier('1.3.6.1.5.5.7.3.1'), objectIdentifier('1.3.6.1.5.5.7.3.2')),
    ),
    extension(
      '2.5.29.17',
      false,
      sequence(implicit(2, Buffer.from('localhost')), implicit(7, Buffer.from([127, 0, 0, 1]))),
    ),
  ),
);

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function createSelfSignedCertificate(now = new Date()): SelfSignedCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))),
    unsignedInteger(serial),
    ecdsaWithSha256,
    name,
    sequence(
      utcTime(new Date(now.getTime() - 60_000)),
      utcTime(new Date(now.getTime() + 30 * 86_400_000)),
    ),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, ecdsaWithSha256, bitString(signature));
  return {
    der,
    certPem: pem('CERTIFICATE', der),
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}
