import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A self-signed certificate for 127.0.0.1 and localhost (in its subjectAltName), made with openssl at
 * test time for a TLS test peer. The certificate is its own CA: `certFile` is what a client trusts.
 */
export interface TestCert {
  /** The certificate (PEM): the CA file a client is given. */
  certFile: string;
  /** The unencrypted private key (PEM). */
  keyFile: string;
  /** Key and certificate in one PEM file (Trino's `http-server.https.keystore.path`). */
  pemFile: string;
  /** Key and certificate as a PKCS12 keystore (Java servers), protected by `password`. */
  p12File: string;
  password: string;
}

/** Writes a fresh key, certificate and keystores into `dir` (which must exist). */
export async function makeTestCert(dir: string): Promise<TestCert> {
  const cert: TestCert = {
    certFile: path.join(dir, 'cert.pem'),
    keyFile: path.join(dir, 'key.pem'),
    pemFile: path.join(dir, 'key-and-cert.pem'),
    p12File: path.join(dir, 'keystore.p12'),
    password: 'lakegate-test',
  };
  await run('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', cert.keyFile, '-out', cert.certFile,
  ]);
  await run('openssl', ['pkcs12', '-export', '-in', cert.certFile, '-inkey', cert.keyFile, '-name', 'server', '-out', cert.p12File, '-passout', `pass:${cert.password}`]);
  await writeFile(cert.pemFile, (await readFile(cert.keyFile, 'utf8')) + (await readFile(cert.certFile, 'utf8')));
  return cert;
}
