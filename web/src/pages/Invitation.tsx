// "/invitacion?token=…" (and "/restablecer?token=…"): the link of an invitation e-mail, or
// the one `rubrica serve` prints for the administrator. Sets the password and, for a person,
// how they will sign: a PIN (Rúbrica keeps their key, encrypted under it) or their own
// device (an e.firma whose key never leaves them: its certificate is registered here).
import { useState } from 'preact/hooks';
import { api, messageOf, ok } from '../api/client';
import { checkDates, EfirmaRefusal, readCertificate, readFile, toBase64, type CertificateInfo } from '../efirma/efirma';
import { navigate, useLocation } from '../router';
import { logIn } from '../session';
import { Alert, Page } from '../ui/components';
import { instantDateEs } from '../ui/format';

type Method = 'pin' | 'device' | 'none';

export function Invitation({ reset = false }: { reset?: boolean }) {
  const token = useLocation().searchParams.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [password2, setPassword2] = useState('');
  const [method, setMethod] = useState<Method>(reset ? 'none' : 'pin');
  const [pin, setPin] = useState('');
  const [pin2, setPin2] = useState('');
  const [cert, setCert] = useState<CertificateInfo | null>(null);
  const [certError, setCertError] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const title = reset ? 'Nueva contraseña' : 'Active su cuenta';

  if (!token) {
    return (
      <Page title={title}>
        <Alert tone="error">
          El enlace está incompleto: le falta su código. Ábralo tal como llegó en el correo, o pida a la administración uno nuevo.
        </Alert>
      </Page>
    );
  }

  return (
    <Page title={title}>
      <p>
        {reset
          ? 'Defina su nueva contraseña. El enlace sirve una sola vez.'
          : 'Defina su contraseña y cómo firmará las actas. El enlace sirve una sola vez.'}
      </p>
      <form
        class="card"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          setError('');
          if (password.length < 10) return setError('La contraseña debe tener al menos 10 caracteres.');
          if (password !== password2) return setError('Las dos contraseñas no coinciden.');
          if (method === 'pin' && pin !== pin2) return setError('Los dos PIN no coinciden.');
          if (method === 'pin' && !pin) return setError('Escriba su PIN de firma.');
          if (method === 'device' && !cert) return setError(certError || 'Elija el certificado (.cer) de su e.firma.');
          setBusy(true);
          try {
            const accepted = await ok(
              api.POST('/api/invitations/accept', {
                body:
                  method === 'pin'
                    ? { token, password, pin }
                    : method === 'device' && cert
                      ? { token, password, certificate: toBase64(cert.der) }
                      : { token, password },
              }),
            );
            setPin('');
            setPin2('');
            await logIn(accepted.account.login, password);
            setPassword('');
            setPassword2('');
            navigate(accepted.account.person_id ? '/pendientes' : '/');
          } catch (err) {
            setError(messageOf(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        {error && <Alert tone="error">{error}</Alert>}
        <fieldset>
          <legend>Contraseña</legend>
          <div class="field">
            <label for="password">Contraseña nueva</label>
            <input
              id="password"
              type="password"
              autocomplete="new-password"
              required
              minLength={10}
              aria-describedby="password-hint"
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
            <p class="hint" id="password-hint">
              Al menos 10 caracteres. Una frase fácil de recordar es buena idea.
            </p>
          </div>
          <div class="field">
            <label for="password2">Repita la contraseña</label>
            <input id="password2" type="password" autocomplete="new-password" required value={password2} onInput={(e) => setPassword2(e.currentTarget.value)} />
          </div>
        </fieldset>
        {!reset && (
          <fieldset>
            <legend>¿Cómo firmará las actas?</legend>
            <div class="choice">
              <input type="radio" id="m-pin" name="method" checked={method === 'pin'} onChange={() => setMethod('pin')} />
              <label for="m-pin">
                Con un PIN de firma: Rúbrica guarda su llave cifrada con su PIN, que sólo usted conoce.
              </label>
            </div>
            <div class="choice">
              <input type="radio" id="m-device" name="method" checked={method === 'device'} onChange={() => setMethod('device')} />
              <label for="m-device">Con mi e.firma (SAT) u otro certificado cuya llave guardo yo.</label>
            </div>
            <div class="choice">
              <input type="radio" id="m-none" name="method" checked={method === 'none'} onChange={() => setMethod('none')} />
              <label for="m-none">No firmo actas (cuentas de administración, archivo u observación).</label>
            </div>
            {method === 'pin' && (
              <>
                <div class="field">
                  <label for="pin">PIN de firma</label>
                  <input id="pin" type="password" autocomplete="off" inputMode="numeric" aria-describedby="pin-hint" value={pin} onInput={(e) => setPin(e.currentTarget.value)} />
                  <p class="hint" id="pin-hint">
                    Lo escribirá cada vez que rubrique o firme. No use su fecha de nacimiento ni números seguidos.
                  </p>
                </div>
                <div class="field">
                  <label for="pin2">Repita el PIN</label>
                  <input id="pin2" type="password" autocomplete="off" inputMode="numeric" value={pin2} onInput={(e) => setPin2(e.currentTarget.value)} />
                </div>
              </>
            )}
            {method === 'device' && (
              <div class="field">
                <label for="cer">Certificado de su e.firma (.cer)</label>
                <input
                  id="cer"
                  type="file"
                  accept=".cer,.crt,.pem"
                  aria-describedby="cer-hint"
                  onChange={async (e) => {
                    const file = e.currentTarget.files?.[0];
                    setCert(null);
                    setCertError('');
                    if (!file) return;
                    try {
                      const info = await readCertificate(await readFile(file));
                      checkDates(info);
                      setCert(info);
                    } catch (err) {
                      setCertError(err instanceof EfirmaRefusal ? err.message : messageOf(err));
                    }
                  }}
                />
                <p class="hint" id="cer-hint">
                  Sólo el certificado, que es público. Su llave privada (.key) y su contraseña nunca se envían: las usará en su navegador al firmar.
                </p>
                {certError && (
                  <p class="field-error" role="alert">
                    {certError}
                  </p>
                )}
                {cert && (
                  <p role="status">
                    Certificado de <strong>{cert.name}</strong>
                    {cert.rfc && <> (RFC {cert.rfc})</>}, vigente hasta el {instantDateEs(cert.notAfter)}.
                  </p>
                )}
              </div>
            )}
          </fieldset>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Guardando…' : reset ? 'Guardar la contraseña' : 'Activar mi cuenta'}
        </button>
      </form>
    </Page>
  );
}

// "/reinscripcion?token=…": a single-use link to enrol a signing credential again, issued by
// the administration or the facilitator. Waits for the API of issue 11 (security stream).
export function Reenrolment() {
  const token = useLocation().searchParams.get('token') ?? '';
  return (
    <Page title="Registrar de nuevo su firma">
      {!token && <Alert tone="error">El enlace está incompleto: le falta su código.</Alert>}
      <Alert tone="info">
        <p>
          Este enlace sirve para registrar un nuevo PIN de firma o un nuevo certificado de e.firma, por ejemplo si olvidó su PIN o
          renovó su e.firma.
        </p>
        <p>Este servicio todavía no procesa enlaces de reinscripción. Comuníquese con la persona facilitadora de su secretariado.</p>
      </Alert>
    </Page>
  );
}
