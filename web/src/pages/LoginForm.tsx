import { useState } from 'preact/hooks';
import { messageOf } from '../api/client';
import { logIn } from '../session';
import { Alert } from '../ui/components';

/** The log-in form; `onDone` runs once the session is open. */
export function LoginForm({ onDone }: { onDone?: () => void }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="card"
      aria-labelledby="login-title"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError('');
        try {
          await logIn(login.trim(), password);
          setPassword('');
          onDone?.();
        } catch (err) {
          setError(messageOf(err));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 id="login-title">Iniciar sesión</h2>
      {error && <Alert tone="error">{error}</Alert>}
      <div class="field">
        <label for="login">Correo electrónico o usuario</label>
        <input id="login" type="text" autocomplete="username" required value={login} onInput={(e) => setLogin(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="password">Contraseña</label>
        <input
          id="password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
      </div>
      <button type="submit" disabled={busy}>
        {busy ? 'Entrando…' : 'Entrar'}
      </button>
    </form>
  );
}
