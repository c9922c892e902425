// The member's e.firma (or any certificate whose key stays with them), opened in this
// browser: the .cer read, its dates checked; the .key (PKCS#8 EncryptedPrivateKeyInfo,
// PBES2 with 3DES as SAT issues them, which WebCrypto cannot decrypt) opened with its
// password by node-forge, in memory; checked against the certificate; then imported into
// WebCrypto as a non-extractable key that signs. Neither the key nor its password is ever
// sent anywhere: only the signature value leaves (docs/api.md, external signing).
//
// Every refusal is an EfirmaRefusal with the reason in Spanish, raised before anything is
// sent to the server.
import forge from 'node-forge';
import { instantDateEs } from '../ui/format';

export class EfirmaRefusal extends Error {}

export interface CertificateInfo {
  der: Uint8Array;
  sha256: string; // hex, lower case, as the API's certificate_sha256
  name: string;
  rfc: string;
  curp: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  publicKey: forge.pki.rsa.PublicKey;
}

const OID_X500_UNIQUE_IDENTIFIER = '2.5.4.45'; // SAT: "RFC / RFC of the representative"
const OID_SERIAL_NUMBER = '2.5.4.5'; // SAT: "CURP / CURP"

function toBinary(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return s;
}

function fromBinary(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  return btoa(toBinary(bytes));
}

export function fromBase64(text: string): Uint8Array {
  return fromBinary(atob(text));
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

// PEM (text) or DER (binary): the DER bytes as a binary string.
function derOf(bytes: Uint8Array, label: RegExp): string | null {
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, 64));
  if (!text.includes('-----BEGIN')) return toBinary(bytes);
  const blocks = forge.pem.decode(new TextDecoder('latin1').decode(bytes));
  const block = blocks.find((b) => label.test(b.type));
  return block ? block.body : null;
}

function text(value: unknown): string {
  if (typeof value !== 'string') return '';
  try {
    return forge.util.decodeUtf8(value);
  } catch {
    return value;
  }
}

function firstPart(value: string): string {
  return (
    value
      .split('/')
      .map((p) => p.trim())
      .find((p) => p.length > 0) ?? ''
  );
}

/** Reads a certificate (.cer, DER or PEM). */
export async function readCertificate(bytes: Uint8Array): Promise<CertificateInfo> {
  const der = derOf(bytes, /CERTIFICATE/);
  if (!der) throw new EfirmaRefusal('El archivo no contiene un certificado.');
  let cert: forge.pki.Certificate;
  try {
    cert = forge.pki.certificateFromAsn1(forge.asn1.fromDer(der));
  } catch (e) {
    if (e instanceof Error && /not RSA/i.test(e.message)) {
      throw new EfirmaRefusal(
        'Este certificado no usa una llave RSA. En el navegador, Rúbrica firma con llaves RSA, como las de la e.firma del SAT.',
      );
    }
    throw new EfirmaRefusal('El archivo .cer no es un certificado válido.');
  }
  const attribute = (oid: string) => text(cert.subject.attributes.find((a) => a.type === oid)?.value);
  const derBytes = fromBinary(der);
  return {
    der: derBytes,
    sha256: await sha256Hex(derBytes),
    name: text(cert.subject.getField('CN')?.value) || 'sin nombre',
    rfc: firstPart(attribute(OID_X500_UNIQUE_IDENTIFIER)),
    curp: firstPart(attribute(OID_SERIAL_NUMBER)),
    issuer: text(cert.issuer.getField('CN')?.value),
    notBefore: cert.validity.notBefore,
    notAfter: cert.validity.notAfter,
    publicKey: cert.publicKey as forge.pki.rsa.PublicKey,
  };
}

/** Refuses a certificate that is not valid at `now`. */
export function checkDates(info: CertificateInfo, now = new Date()) {
  if (now > info.notAfter) {
    throw new EfirmaRefusal(
      `El certificado de ${info.name} venció el ${instantDateEs(info.notAfter)}: ya no sirve para firmar. ` +
        'Use un certificado vigente (la e.firma se renueva en el SAT) y regístrelo en «Mi firma».',
    );
  }
  if (now < info.notBefore) {
    throw new EfirmaRefusal(`El certificado de ${info.name} aún no es válido: lo será a partir del ${instantDateEs(info.notBefore)}.`);
  }
}

/** Opens an encrypted PKCS#8 private key (.key, DER or PEM) with its password. */
export function openPrivateKey(bytes: Uint8Array, password: string): forge.pki.rsa.PrivateKey {
  const der = derOf(bytes, /PRIVATE KEY/);
  if (!der) throw new EfirmaRefusal('El archivo no contiene una llave privada.');
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(der);
  } catch {
    throw new EfirmaRefusal('El archivo .key no es una llave privada válida.');
  }
  let info: forge.asn1.Asn1 | null;
  try {
    info = forge.pki.decryptPrivateKeyInfo(asn1, password);
  } catch (e) {
    if (e instanceof Error && /unsupported|not supported/i.test(e.message)) {
      throw new EfirmaRefusal('La llave privada usa un cifrado que Rúbrica no puede abrir en el navegador.');
    }
    throw new EfirmaRefusal('El archivo .key no es una llave privada cifrada válida.');
  }
  if (!info) throw new EfirmaRefusal('La contraseña de la llave privada no es correcta.');
  try {
    return forge.pki.privateKeyFromAsn1(info) as forge.pki.rsa.PrivateKey;
  } catch {
    throw new EfirmaRefusal('La llave privada no es RSA o está dañada.');
  }
}

/** Refuses a key that does not belong to the certificate. */
export function checkKeyMatches(key: forge.pki.rsa.PrivateKey, info: CertificateInfo) {
  if (!key.n.equals(info.publicKey.n) || !key.e.equals(info.publicKey.e)) {
    throw new EfirmaRefusal('La llave privada (.key) no corresponde al certificado (.cer): elija los dos archivos de la misma e.firma.');
  }
}

/**
 * Moves the key into WebCrypto as a non-extractable RSASSA-PKCS1-v1_5 / SHA-256 key; the
 * PKCS#8 bytes used for the import are overwritten right after.
 */
export async function importForSigning(key: forge.pki.rsa.PrivateKey): Promise<CryptoKey> {
  const pkcs8 = fromBinary(forge.asn1.toDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key))).getBytes());
  try {
    return await crypto.subtle.importKey('pkcs8', pkcs8 as BufferSource, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  } finally {
    pkcs8.fill(0);
  }
}

/** Signs `data` (the DER signed attributes the server prepared: WebCrypto hashes them). */
export async function sign(key: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, data as BufferSource));
}

export async function readFile(file: File): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}
