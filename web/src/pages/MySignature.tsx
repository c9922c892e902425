// "/mi-firma": the member's signing credentials, and registering the certificate of an
// e.firma whose key stays with them (only the public certificate is sent).
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf, ok, type Credential } from '../api/client';
import { checkDates, EfirmaRefusal, readCertificate, readFile, toBase64 } from '../efirma/efirma';
import { useSession } from '../session';
import { Alert, Badge, Loading, Page } from '../ui/components';
import { CREDENTIAL_ORIGIN, timeEs } from '../ui/format';
import { LoginForm } from './LoginForm';

export function MySignature() {
  const session = useSession();
  const [credentials, setCredentials] = useState<Credential[] | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const load = () =>
    ok(api.GET('/api/me/credentials'))
      .then((r) => setCredentials(r.credentials))
      .catch((e) => setError(messageOf(e)));
  useEffect(() => {
    if (session.status === 'in') void load();
  }, [session.status]);

  if (session.status === 'loading') return <Loading what="su sesión" />;
  if (session.status === 'anonymous') {
    return (
      <Page title="Mi firma">
        <LoginForm />
      </Page>
    );
  }
  return (
    <Page title="Mi firma">
      {error && <Alert tone="error">{error}</Alert>}
      {notice && <Alert tone="ok">{notice}</Alert>}
      <section aria-labelledby="creds-title">
        <h2 id="creds-title">Sus credenciales de firma</h2>
        {!credentials && !error && <Loading what="sus credenciales" />}
        {credentials && credentials.length === 0 && <p>Aún no tiene credenciales de firma.</p>}
        {credentials && credentials.length > 0 && (
          <ul class="plain">
            {credentials.map((c) => (
              <li key={c.id}>
                <div class="task-title">{CREDENTIAL_ORIGIN[c.origin] ?? c.origin}</div>
                <div class="break">{c.subject}</div>
                <div class="meta">
                  Vigente del {timeEs(c.not_before)} al {timeEs(c.not_after)}
                  {c.rfc && <> · RFC {c.rfc}</>} ·{' '}
                  {c.active ? <Badge tone="ok">Activa</Badge> : <Badge tone="bad">Revocada o vencida</Badge>}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="register-title" class="card">
        <h2 id="register-title">Registrar el certificado de su e.firma</h2>
        <p>
          Registre su certificado antes de que se apruebe el acta que va a firmar. Sólo se envía el certificado, que es público; su
          llave privada y su contraseña se quedan con usted.
        </p>
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            setError('');
            setNotice('');
            const file = (e.currentTarget.elements.namedItem('cer') as HTMLInputElement).files?.[0];
            const pinInput = e.currentTarget.elements.namedItem('current_pin') as HTMLInputElement;
            if (!file) return setError('Elija el certificado (.cer).');
            setBusy(true);
            try {
              const info = await readCertificate(await readFile(file));
              checkDates(info);
              await ok(
                api.POST('/api/me/credentials/external', { body: { certificate: toBase64(info.der), current_pin: pinInput.value } }),
              );
              pinInput.value = '';
              setNotice(`Certificado de ${info.name} registrado.`);
              await load();
            } catch (err) {
              setError(err instanceof EfirmaRefusal ? err.message : messageOf(err));
            } finally {
              setBusy(false);
            }
          }}
        >
          <div class="field">
            <label for="cer">Certificado (.cer)</label>
            <input id="cer" name="cer" type="file" accept=".cer,.crt,.pem" required />
          </div>
          <div class="field">
            <label for="current_pin">Su PIN de firma actual</label>
            <input id="current_pin" name="current_pin" type="password" autocomplete="off" inputMode="numeric" aria-describedby="current-pin-hint" />
            <p class="hint" id="current-pin-hint">
              Confirma que es usted. Si no tiene PIN o lo olvidó, pida a la persona facilitadora un enlace de reinscripción.
            </p>
          </div>
          <button type="submit" disabled={busy}>
            {busy ? 'Registrando…' : 'Registrar el certificado'}
          </button>
        </form>
      </section>
    </Page>
  );
}
