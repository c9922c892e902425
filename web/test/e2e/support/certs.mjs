// A test certification authority and a member's certificate in the SAT e.firma's formats,
// made with the openssl command: the certificate in DER (.cer) and the key as PKCS#8
// EncryptedPrivateKeyInfo in DER, PBES2 with PBKDF2-HMAC-SHA1 (2048 iterations) and
// DES-EDE3-CBC (.key). The person is fictional.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function openssl(args, cwd) {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function makeEfirma(dir, { name, rfc, curp, email, password }) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'ca.cnf'),
    '[req]\ndistinguished_name=dn\n[dn]\n[ca_ext]\nbasicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n' +
      '[member_ext]\nbasicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\n' +
      'subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n',
  );
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30',
    '-subj', '/O=Autoridad Certificadora de Pruebas/CN=AC de pruebas de Rubrica', '-config', 'ca.cnf',
    '-extensions', 'ca_ext'], dir);
  openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'member.pem', '-out', 'member.csr', '-utf8',
    '-subj', `/CN=${name}/x500UniqueIdentifier=${rfc} \\/ /serialNumber=${curp} \\/ /emailAddress=${email}`, '-config', 'ca.cnf'], dir);
  openssl(['x509', '-req', '-in', 'member.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '20',
    '-outform', 'DER', '-out', 'member.cer', '-extfile', 'ca.cnf', '-extensions', 'member_ext'], dir);
  openssl(['pkcs8', '-topk8', '-in', 'member.pem', '-outform', 'DER', '-out', 'member.key', '-v2', 'des3',
    '-v2prf', 'hmacWithSHA1', '-iter', '2048', '-passout', `pass:${password}`], dir);
  fs.rmSync(path.join(dir, 'member.pem'));
  fs.rmSync(path.join(dir, 'ca.key'));
  return { caPem: path.join(dir, 'ca.pem'), cer: path.join(dir, 'member.cer'), key: path.join(dir, 'member.key'), password };
}
