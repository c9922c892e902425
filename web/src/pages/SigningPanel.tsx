// Signing an acta: the rubric (once every page was seen) or the foot signature, with the
// PIN (the server-held key unlocks for this one signature) or with the member's e.firma,
// opened in this browser: the key and its password never leave it.
import { useState } from 'preact/hooks';
import { api, ApiError, messageOf, ok, type Acta, type Credential } from '../api/client';
import {
  checkDates,
  checkKeyMatches,
  EfirmaRefusal,
  fromBase64,
  importForSigning,
  openPrivateKey,
  readCertificate,
  readFile,
  sign,
  toBase64,
} from '../efirma/efirma';
import { Alert } from '../ui/components';

type Kind = 'rubric' | 'foot';
type Method = 'pin' | 'efirma';

interface Props {
  acta: Acta;
  kind: Kind;
  credentials: Credential[];
  /** For the rubric: every page was seen. */
  ready: boolean;
  readyHint: string;
  onSigned: (acta: Acta, message: string) => void;
}

export function SigningPanel({ acta, kind, credentials, ready, readyHint, onSigned }: Props) {
  const active = credentials.filter((c) => c.active);
  const hasPin = active.some((c) => !c.external);
  const hasDevice = active.some((c) => c.external);
  const [method, setMethod] = useState<Method>(hasPin ? 'pin' : 'efirma');
  const [pin, setPin] = useState('');
  const [cer, setCer] = useState<File | null>(null);
  const [key, setKey] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [step, setStep] = useState('');
  const [busy, setBusy] = useState(false);
  const what = kind === 'rubric' ? 'Rubricar todas las hojas' : 'Firmar al calce';
  const done = kind === 'rubric' ? 'Su rúbrica quedó registrada en cada hoja del acta.' : 'Su firma al calce quedó registrada.';

  async function withPin() {
    setStep('Firmando con su llave guardada en Rúbrica…');
    const path = kind === 'rubric' ? '/api/actas/{acta_id}/rubric' : '/api/actas/{acta_id}/foot-signature';
    const r = await ok(api.POST(path, { params: { path: { acta_id: acta.id } }, body: { pin } }));
    setPin('');
    return r;
  }

  async function withEfirma() {
    if (!cer || !key) throw new EfirmaRefusal('Elija su certificado (.cer) y su llave privada (.key).');
    // Everything below until "prepare" happens in this browser; nothing is sent.
    setStep('Revisando su certificado…');
    const info = await readCertificate(await readFile(cer));
    checkDates(info);
    setStep('Abriendo su llave privada en este navegador…');
    const keyBytes = await readFile(key);
    const privateKey = openPrivateKey(keyBytes, password);
    keyBytes.fill(0);
    setPassword('');
    checkKeyMatches(privateKey, info);
    const signingKey = await importForSigning(privateKey);
    setStep('Comprobando que su cuenta tiene registrado este certificado…');
    const mine = await ok(api.GET('/api/me/credentials'));
    const registered = mine.credentials.find((c) => c.certificate_sha256 === info.sha256);
    if (!registered) {
      throw new EfirmaRefusal(
        'Este certificado no está registrado en su cuenta. Regístrelo en «Mi firma»; para firmar un acta debe estar registrado antes de que el acta se apruebe.',
      );
    }
    if (!registered.active) throw new EfirmaRefusal('Este certificado fue revocado en Rúbrica: ya no puede firmar con él.');
    setStep('Preparando lo que su e.firma va a firmar…');
    const prep = await ok(api.POST('/api/actas/{acta_id}/sign/prepare', { params: { path: { acta_id: acta.id } }, body: { kind } }));
    if (prep.certificate_sha256 !== info.sha256) {
      throw new EfirmaRefusal('Rúbrica espera la firma de otro certificado suyo en esta acta: use el que tenía registrado cuando se aprobó.');
    }
    if (prep.algorithm !== 'RSASSA-PKCS1-v1_5-SHA256') {
      throw new EfirmaRefusal('El certificado registrado no es RSA; fírmelo con «rubrica sign» desde una terminal.');
    }
    setStep('Firmando en este navegador…');
    const signature = await sign(signingKey, fromBase64(prep.signed_attributes));
    setStep('Registrando la firma en el acta…');
    return ok(
      api.POST('/api/actas/{acta_id}/sign/finalize', {
        params: { path: { acta_id: acta.id } },
        body: { ticket: prep.ticket, signature: toBase64(signature) },
      }),
    );
  }

  return (
    <section class="card" aria-labelledby={`sign-${kind}`}>
      <h2 id={`sign-${kind}`}>{kind === 'rubric' ? 'Rubricar el acta' : 'Firma al calce'}</h2>
      {kind === 'rubric' ? (
        <p>Su rúbrica se estampa en cada hoja del acta y queda amparada por su firma electrónica sobre todo el documento.</p>
      ) : (
        <p>Firme al pie del acta. Todas las firmas deben hacerse el mismo día de la aprobación.</p>
      )}
      {!ready && <Alert tone="info">{readyHint}</Alert>}
      {error && (
        <Alert tone="error">
          <p>{error}</p>
        </Alert>
      )}
      {!hasPin && !hasDevice && (
        <Alert tone="warn">No tiene una credencial de firma activa. Revise «Mi firma».</Alert>
      )}
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (!ready || busy) return;
          setBusy(true);
          setError('');
          try {
            const r = method === 'pin' ? await withPin() : await withEfirma();
            setStep('');
            onSigned(r.acta, done);
          } catch (err) {
            setStep('');
            setError(err instanceof EfirmaRefusal || err instanceof ApiError ? err.message : messageOf(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        {hasPin && hasDevice && (
          <fieldset>
            <legend>¿Con qué firma?</legend>
            <div class="choice">
              <input type="radio" id={`m-pin-${kind}`} name={`method-${kind}`} checked={method === 'pin'} onChange={() => setMethod('pin')} />
              <label for={`m-pin-${kind}`}>Con mi PIN de firma</label>
            </div>
            <div class="choice">
              <input type="radio" id={`m-ef-${kind}`} name={`method-${kind}`} checked={method === 'efirma'} onChange={() => setMethod('efirma')} />
              <label for={`m-ef-${kind}`}>Con mi e.firma</label>
            </div>
          </fieldset>
        )}
        {method === 'pin' && hasPin && (
          <div class="field">
            <label for={`pin-${kind}`}>PIN de firma</label>
            <input
              id={`pin-${kind}`}
              type="password"
              autocomplete="off"
              inputMode="numeric"
              required
              value={pin}
              onInput={(e) => setPin(e.currentTarget.value)}
            />
          </div>
        )}
        {method === 'efirma' && hasDevice && (
          <>
            <p class="hint">Su llave privada y su contraseña se usan sólo en este navegador: no se envían a Rúbrica.</p>
            <div class="field">
              <label for={`cer-${kind}`}>Certificado (.cer)</label>
              <input id={`cer-${kind}`} type="file" accept=".cer,.crt,.pem" required onChange={(e) => setCer(e.currentTarget.files?.[0] ?? null)} />
            </div>
            <div class="field">
              <label for={`key-${kind}`}>Llave privada (.key)</label>
              <input id={`key-${kind}`} type="file" accept=".key,.pem" required onChange={(e) => setKey(e.currentTarget.files?.[0] ?? null)} />
            </div>
            <div class="field">
              <label for={`kp-${kind}`}>Contraseña de la llave privada</label>
              <input
                id={`kp-${kind}`}
                type="password"
                autocomplete="off"
                required
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
              />
            </div>
          </>
        )}
        <button type="submit" disabled={!ready || busy || (!hasPin && !hasDevice)}>
          {busy ? 'Firmando…' : what}
        </button>
        {step && (
          <p role="status" class="meta">
            {step}
          </p>
        )}
      </form>
    </section>
  );
}
