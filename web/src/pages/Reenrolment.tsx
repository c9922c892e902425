// "/reinscripcion?token=…": a single-use link, issued by the administration or a facilitator
// (POST /api/people/{id}/reenrolment) and e-mailed to the member, to register a new signing
// credential without the current PIN: a forgotten PIN, a renewed e.firma. The member logs in
// first (the link is bound to their account; the session proves the password, the link the
// mailbox), then chooses a new PIN or the certificate of their e.firma, as on the invitation.
import { useState } from 'preact/hooks';
import { api, ApiError, messageOf, ok, type Credential } from '../api/client';
import { useLocation } from '../router';
import { refreshSession, useSession } from '../session';
import { Alert, Loading, Page } from '../ui/components';
import { CREDENTIAL_ORIGIN, timeEs } from '../ui/format';
import { LoginForm } from './LoginForm';
import { SigningMethodFieldset, signingMethodBody, signingMethodProblem, useSigningMethod } from './SigningMethod';

const TITLE = 'Registrar de nuevo su firma';

/** What the person reads for the refusals this page can meet; other codes keep the server's message. */
const REFUSALS: Record<string, string> = {
  'api.reenrolment_invalid':
    'Este enlace para registrar de nuevo su firma no es válido: ya se usó, venció (dura 72 horas), se emitió uno más nuevo o es de otra cuenta. Pida uno nuevo a la persona facilitadora de su secretariado o a la administración.',
  'api.reenrolment_in_use': 'El enlace se está usando en este momento en otra ventana. Espere unos segundos e intente de nuevo.',
  'api.signing_method_required': 'Elija cómo firmará las actas: con un PIN de firma o con el certificado de su e.firma.',
};

export function reenrolmentMessage(e: unknown): string {
  return e instanceof ApiError && REFUSALS[e.code] ? REFUSALS[e.code] : messageOf(e);
}

export function Reenrolment() {
  const token = useLocation().searchParams.get('token') ?? '';
  const session = useSession();
  const signing = useSigningMethod('pin');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Credential | null>(null);

  if (!token) {
    return (
      <Page title={TITLE}>
        <Alert tone="error">
          El enlace está incompleto: le falta su código. Ábralo tal como llegó en el correo, o pida uno nuevo a la persona facilitadora de su secretariado.
        </Alert>
      </Page>
    );
  }
  if (session.status === 'loading') return <Loading what="su sesión" />;
  if (session.status === 'anonymous') {
    return (
      <Page title={TITLE}>
        <p>Inicie sesión con su cuenta para registrar su nueva firma. El enlace sólo sirve para la cuenta a la que se envió.</p>
        <LoginForm />
      </Page>
    );
  }
  if (!session.me.person) {
    return (
      <Page title={TITLE}>
        <Alert tone="error">Sólo las cuentas de personas tienen firma. Inicie sesión con la cuenta a la que se envió el enlace.</Alert>
      </Page>
    );
  }
  if (done) {
    return (
      <Page title={TITLE}>
        <Alert tone="ok">
          <p>
            <strong>Su nueva firma quedó registrada.</strong> {CREDENTIAL_ORIGIN[done.origin] ?? done.origin}, vigente hasta el {timeEs(done.not_after)}.
          </p>
          <p>Le enviamos un correo con el aviso del cambio. El enlace ya no sirve.</p>
          <p>
            Las actas que se aprueben a partir de ahora esperarán su firma con esta nueva llave. Si tiene actas ya aprobadas pendientes
            de rúbrica o de firma, avise a la persona facilitadora: esas actas esperan su llave anterior.
          </p>
        </Alert>
        <p>
          <a href="/pendientes">Ir a mis pendientes</a> · <a href="/mi-firma">Ver mi firma</a>
        </p>
      </Page>
    );
  }

  return (
    <Page title={TITLE}>
      <p>
        Este enlace sirve una sola vez para registrar un nuevo PIN de firma o el certificado de su e.firma, por ejemplo si olvidó su PIN o
        renovó su e.firma. No necesita su PIN anterior.
      </p>
      <form
        class="card"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          setError('');
          const problem = signingMethodProblem(signing);
          if (problem) return setError(problem);
          setBusy(true);
          try {
            const credential = await ok(
              api.POST('/api/me/reenrolment', {
                body: { token, ...signingMethodBody(signing) },
              }),
            );
            signing.setPin('');
            signing.setPin2('');
            setDone(credential);
            void refreshSession();
          } catch (err) {
            setError(reenrolmentMessage(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        {error && <Alert tone="error">{error}</Alert>}
        <SigningMethodFieldset
          state={signing}
          legend="¿Cómo firmará las actas a partir de ahora?"
          pinLabel="Con un nuevo PIN de firma: Rúbrica guarda una nueva llave cifrada con su PIN, que sólo usted conoce."
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Guardando…' : 'Registrar mi nueva firma'}
        </button>
      </form>
    </Page>
  );
}
