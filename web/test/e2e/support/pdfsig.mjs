// Judges we did not write, on a PDF a test downloaded: Poppler's pdfsig (with an NSS database
// that trusts the given anchors, made with certutil) and qpdf --check.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * pdfsig's verdict on `pdf`, trusting every certificate of the PEM files `anchors`:
 * { signatures: [{ field, type, ranges: [[from, to], …], valid, trusted }], unsignedFields, output }.
 */
export function pdfsig(pdf, anchors, workDir) {
  const db = path.join(workDir, `nssdb-${path.basename(pdf)}`);
  fs.mkdirSync(db, { recursive: true });
  execFileSync('certutil', ['-N', '-d', `sql:${db}`, '--empty-password'], { stdio: 'pipe' });
  let n = 0;
  for (const file of anchors) {
    for (const pem of fs.readFileSync(file, 'utf8').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? []) {
      const one = path.join(db, `anchor${n}.pem`);
      fs.writeFileSync(one, `${pem}\n`);
      execFileSync('certutil', ['-A', '-d', `sql:${db}`, '-n', `anchor${n}`, '-t', 'CT,C,C', '-i', one], { stdio: 'pipe' });
      n++;
    }
  }
  const run = spawnSync('pdfsig', ['-nssdir', `sql:${db}`, pdf], { encoding: 'utf8' });
  const output = `${run.stdout}${run.stderr}`;
  const signatures = [];
  let unsignedFields = 0;
  let cur = null;
  for (const line of output.split('\n')) {
    if (line.startsWith('Signature #')) {
      cur = { field: '', type: '', ranges: [], valid: false, trusted: false };
      signatures.push(cur);
    } else if (cur && line.includes('- Signature Field Name:')) {
      cur.field = line.slice(line.indexOf(':') + 2);
    } else if (cur && line.includes('- Signature Type:')) {
      cur.type = line.slice(line.indexOf(':') + 2).trim();
    } else if (cur && line.includes('- Signed Ranges:')) {
      cur.ranges = [...line.matchAll(/\[(\d+) - (\d+)\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
    } else if (cur && line.includes('Signature is Valid.')) {
      cur.valid = true;
    } else if (cur && line.includes('Certificate is Trusted.')) {
      cur.trusted = true;
    }
    if (cur && line.includes('The signature form field is not signed.')) {
      unsignedFields++;
      signatures.pop(); // an empty field, not a signature
      cur = null;
    }
  }
  return { signatures, unsignedFields, output };
}

/** qpdf --check's exit code (0: no damage) and output. */
export function qpdfCheck(pdf) {
  const run = spawnSync('qpdf', ['--check', pdf], { encoding: 'utf8' });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

/**
 * A document timestamp (RFC 3161 token in /Contents, ETSI.RFC3161) checked by `openssl ts
 * -verify` against the bytes its two signed `ranges` cover, trusting `caPem`: { code, output }.
 */
export function timestampVerify(pdf, ranges, caPem, workDir) {
  const bytes = fs.readFileSync(pdf);
  const [[a0, a1], [b0, b1]] = ranges;
  const covered = Buffer.concat([bytes.subarray(a0, a1), bytes.subarray(b0, b1)]);
  // Between the ranges: "<hex>", the token's DER padded with zeros to the space reserved.
  const hex = bytes.subarray(a1, b0).toString('latin1').replace(/^<|>$/g, '');
  const padded = Buffer.from(hex, 'hex');
  if (padded[0] !== 0x30) throw new Error('the /Contents is not a DER SEQUENCE');
  let length = padded[1];
  let header = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + padded[2 + i];
    header = 2 + n;
  }
  const data = path.join(workDir, `${path.basename(pdf)}.covered`);
  const token = path.join(workDir, `${path.basename(pdf)}.tst`);
  fs.writeFileSync(data, covered);
  fs.writeFileSync(token, padded.subarray(0, header + length));
  const run = spawnSync('openssl', ['ts', '-verify', '-data', data, '-in', token, '-token_in', '-CAfile', caPem], { encoding: 'utf8' });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}
