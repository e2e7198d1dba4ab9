/**
 * go-plugin's handshake line: `CORE-PROTOCOL|APP-PROTOCOL|NETWORK|ADDRESS|PROTOCOL|CERT`, the
 * certificate being base64 of its DER without padding (Go's RawStdEncoding): padded base64
 * breaks the handshake whenever the DER length is not a multiple of 3.
 */
export function handshakeLine(port: number, certificateDer: Buffer): string {
  const cert = certificateDer.toString('base64').replace(/=+$/, '');
  return `1|6|tcp|127.0.0.1:${port}|grpc|${cert}\n`;
}

export const magicCookieKey = 'TF_PLUGIN_MAGIC_COOKIE';
export const magicCookieValue = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
