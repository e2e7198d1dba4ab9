import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { handshakeLine } from '../../src/handshake/handshake-line.js';
import { createSelfSignedCertificate } from '../../src/handshake/self-signed-certificate.js';

describe('handshakeLine', () => {
  // Go's RawStdEncoding has no padding; a padded certificate breaks the handshake whenever the
  // DER length is not a multiple of 3, so every remainder is checked.
  it.each([
    { why: 'length % 3 == 0 has no padding anyway', der: Buffer.alloc(3, 0xff), cert: '////' },
    { why: 'length % 3 == 1 drops "=="', der: Buffer.alloc(4, 0xff), cert: '/////w' },
    { why: 'length % 3 == 2 drops "="', der: Buffer.alloc(5, 0xff), cert: '//////8' },
  ])('$why', ({ der, cert }) => {
    expect(handshakeLine(4242, der)).toBe(`1|6|tcp|127.0.0.1:4242|grpc|${cert}\n`);
  });
});

describe('createSelfSignedCertificate', () => {
  it('makes a certificate Terraform accepts: SAN localhost, server and client auth, self-signed, valid now', () => {
    const made = createSelfSignedCertificate();
    const x509 = new X509Certificate(made.der);
    expect(x509.subjectAltName).toContain('DNS:localhost');
    expect(x509.keyUsage).toEqual(
      expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']),
    );
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(new Date(x509.validFrom).getTime()).toBeLessThan(Date.now());
    expect(new Date(x509.validTo).getTime()).toBeGreaterThan(Date.now() + 86_400_000);
    expect(new X509Certificate(made.certPem).fingerprint256).toBe(x509.fingerprint256);
  });

  it('makes a new key and serial every time', () => {
    const [a, b] = [createSelfSignedCertificate(), createSelfSignedCertificate()];
    expect(new X509Certificate(a.der).serialNumber).not.toBe(
      new X509Certificate(b.der).serialNumber,
    );
    expect(a.keyPem).not.toBe(b.keyPem);
  });
});
