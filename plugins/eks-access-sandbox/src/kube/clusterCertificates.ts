/*
 * Copyright 2026 The EKS Access for Backstage Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import forge from 'node-forge';

/** PEM material of one cluster's Kubernetes API: its own CA and a server certificate it signed. */
export interface ClusterCertificates {
  caCertPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

function rsaKeyPair() {
  // Node's native generator is fast; node-forge only builds the certificates.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey),
    privateKeyPem: privateKey,
  };
}

/** Signs with Node's native RSA (node-forge's pure-JS signing takes ~300 ms per certificate). */
function signCertificate(cert: forge.pki.Certificate, privateKeyPem: string) {
  const oid = forge.pki.oids.sha256WithRSAEncryption;
  cert.signatureOid = oid;
  cert.siginfo.algorithmOid = oid;
  // getTBSCertificate exists in node-forge but is missing from its type definitions.
  const { getTBSCertificate } = forge.pki as unknown as {
    getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1;
  };
  const tbs = forge.asn1.toDer(getTBSCertificate(cert)).getBytes();
  cert.signature = sign(
    'sha256',
    Buffer.from(tbs, 'binary'),
    privateKeyPem,
  ).toString('binary');
}

function serialNumber(): string {
  // Positive, 16 bytes.
  return `01${randomBytes(15).toString('hex')}`;
}

/**
 * Creates a CA named after the cluster (EKS names it `kubernetes`) and a
 * server certificate for the given host, valid for ten years.
 */
export function createClusterCertificates(
  clusterName: string,
  host: string,
): ClusterCertificates {
  const now = new Date();
  const notAfter = new Date(now.getTime() + 10 * 365 * 24 * 3600 * 1000);
  const notBefore = new Date(now.getTime() - 24 * 3600 * 1000);

  const ca = rsaKeyPair();
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.publicKey;
  caCert.serialNumber = serialNumber();
  caCert.validity.notBefore = notBefore;
  caCert.validity.notAfter = notAfter;
  const caSubject = [
    { name: 'commonName', value: 'kubernetes' },
    {
      name: 'organizationalUnitName',
      value: `eks-access-sandbox ${clusterName}`,
    },
  ];
  caCert.setSubject(caSubject);
  caCert.setIssuer(caSubject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    {
      name: 'keyUsage',
      keyCertSign: true,
      cRLSign: true,
      digitalSignature: true,
      critical: true,
    },
    { name: 'subjectKeyIdentifier' },
  ]);
  signCertificate(caCert, ca.privateKeyPem);

  const server = rsaKeyPair();
  const serverCert = forge.pki.createCertificate();
  serverCert.publicKey = server.publicKey;
  serverCert.serialNumber = serialNumber();
  serverCert.validity.notBefore = notBefore;
  serverCert.validity.notAfter = notAfter;
  serverCert.setSubject([{ name: 'commonName', value: 'kube-apiserver' }]);
  serverCert.setIssuer(caSubject);
  const isIp = /^[\d.]+$/.test(host) || host.includes(':');
  const altNames: Array<{ type: number; value?: string; ip?: string }> = [
    { type: 2, value: 'localhost' },
    { type: 2, value: 'kubernetes' },
    { type: 7, ip: '127.0.0.1' },
  ];
  if (isIp && host !== '127.0.0.1') altNames.push({ type: 7, ip: host });
  if (!isIp && host !== 'localhost') altNames.push({ type: 2, value: host });
  serverCert.setExtensions([
    { name: 'basicConstraints', cA: false },
    {
      name: 'keyUsage',
      digitalSignature: true,
      keyEncipherment: true,
      critical: true,
    },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
  ]);
  signCertificate(serverCert, ca.privateKeyPem);

  return {
    caCertPem: forge.pki.certificateToPem(caCert),
    serverCertPem: forge.pki.certificateToPem(serverCert),
    serverKeyPem: server.privateKeyPem,
  };
}
