// "/invitacion?token=…" (and "/restablecer?token=…"): the link of an invitation e-mail, or
// the one `rubrica serve` prints for the administrator. Sets the password and, for a person,
// how they will sign: a PIN (Rúbrica keeps their key, encrypted under it) or their own
// device (an e.firma whose key never leaves them: its certificate is registered here).
import { useState } from 'preact/hooks';
import { api, messageOf, ok } from '../api/client';
import { navigate, useLocation } from '../router';
import { logIn } from '../session';
import { Alert, Page } from '../ui/components';
import { SigningMethodFieldset, signingMethodBody, signingMethodProblem, useSigningMethod } from './SigningMethod';

export function Invitation({ reset = false }: { reset?: boolean }) {
  const token = useLocation().searchParams.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [password2, setPassword2] = useState('');
  const signing = useSigningMethod(reset ? 'none' : 'pin');
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
          const problem = signingMethodProblem(signing);
          if (problem) return setError(problem);
          setBusy(true);
          try {
            const accepted = await ok(
              api.POST('/api/invitations/accept', {
                body: { token, password, ...signingMethodBody(signing) },
              }),
            );
            signing.setPin('');
            signing.setPin2('');
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
          <SigningMethodFieldset
            state={signing}
            legend="¿Cómo firmará las actas?"
            pinLabel="Con un PIN de firma: Rúbrica guarda su llave cifrada con su PIN, que sólo usted conoce."
            allowNone
          />
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Guardando…' : reset ? 'Guardar la contraseña' : 'Activar mi cuenta'}
        </button>
      </form>
    </Page>
  );
}

