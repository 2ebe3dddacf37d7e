/**
 * A throwaway certificate authority for the local world. The Azure SDK refuses bearer tokens over
 * plain HTTP and client-node 2.x refuses http:// API servers, so every emulator speaks HTTPS with a
 * server certificate issued here; clients trust the CA (kubeconfig `certificate-authority-data`,
 * `NODE_EXTRA_CA_CERTS` for child processes, `trustCaInThisProcess` in tests, webhook `caBundle`).
 */
// @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import * as x509 from '@peculiar/x509';

// Node's webcrypto implements the Web Crypto API that @peculiar/x509 types against the DOM lib.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface ServerCertificate {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface LocalCa {
  readonly certPem: string;
  /** Issues a server certificate for the given DNS names and IP addresses. */
  issueServerCertificate(hosts?: readonly string[]): Promise<ServerCertificate>;
  /** Writes `ca.pem` into `dir` and returns its path. */
  writeCertificate(dir: string): Promise<string>;
}

function toPem(der: ArrayBuffer, label: string): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
    .toString('hex')
    .replace(/^[89a-f]/, '1');
}

export async function createLocalCa(commonName = 'Connector Functions local CA'): Promise<LocalCa> {
  const now = Date.now();
  const caKeys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 30 * 24 * 3600_000),
    signingAlgorithm: algorithm,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const certPem = caCert.toString('pem') + '\n';

  return {
    certPem,
    async issueServerCertificate(hosts = ['localhost', '127.0.0.1', '::1']) {
      const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serial(),
        subject: `CN=${hosts[0] ?? 'localhost'}`,
        issuer: caCert.subject,
        notBefore: new Date(now - 60_000),
        notAfter: new Date(now + 30 * 24 * 3600_000),
        signingAlgorithm: algorithm,
        publicKey: keys.publicKey,
        signingKey: caKeys.privateKey,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(
            x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
            true,
          ),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
          new x509.SubjectAlternativeNameExtension(
            hosts.map((h) =>
              isIP(h) === 0 ? { type: 'dns' as const, value: h } : { type: 'ip' as const, value: h },
            ),
          ),
          await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
        ],
      });
      const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
      return { certPem: cert.toString('pem') + '\n' + certPem, keyPem: toPem(pkcs8, 'PRIVATE KEY') };
    },
    async writeCertificate(dir: string) {
      await mkdir(dir, { recursive: true });
      const path = join(dir, 'ca.pem');
      await writeFile(path, certPem);
      return path;
    },
  };
}

const trusted = new Set<string>();

/**
 * Adds the CA to this process's default trust store (Node >= 22.19), for in-process SDK clients.
 * Child processes get the same effect from NODE_EXTRA_CA_CERTS.
 */
export function trustCaInThisProcess(caPem: string): void {
  if (trusted.has(caPem)) return;
  trusted.add(caPem);
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), ...trusted]);
}
