import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * A self-signed certificate for the local Pub/Sub server, made at start with the openssl command:
 * the Pub/Sub client only speaks TLS. Node's crypto makes keys but not X.509 certificates, and no
 * certificate library is installed, so the system's openssl does it.
 */

export interface TlsMaterial {
  key: Buffer;
  cert: Buffer;
}

const run = promisify(execFile);

export async function selfSignedCertificate(host = 'localhost'): Promise<TlsMaterial> {
  const dir = await mkdtemp(path.join(tmpdir(), 'scribe-pubsub-tls-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  try {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '30',
      '-subj',
      `/CN=${host}`,
      '-addext',
      `subjectAltName=DNS:${host},DNS:localhost,IP:127.0.0.1`,
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ]);
    return { key: await readFile(keyFile), cert: await readFile(certFile) };
  } catch (error) {
    throw new Error(
      `the local Pub/Sub server needs a TLS certificate and openssl could not make one (${(error as Error).message}); install openssl (apt-get install openssl)`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
