// "/": log in, and the public list of the secretariats this installation hosts.
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf, ok, type Schemas } from '../api/client';
import { navigate } from '../router';
import { displayName, useSession } from '../session';
import { Alert, Loading, Page } from '../ui/components';
import { SECRETARIAT_KIND } from '../ui/format';
import { LoginForm } from './LoginForm';

export function Home() {
  const session = useSession();
  const [secretariats, setSecretariats] = useState<Schemas['Secretariat'][] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    ok(api.GET('/api/secretariats'))
      .then((r) => setSecretariats(r.secretariats))
      .catch((e) => setError(messageOf(e)));
  }, []);
  return (
    <Page title="Actas y firmas de gobierno abierto">
      <div class="grid2">
        {session.status === 'loading' && <Loading what="su sesión" />}
        {session.status === 'anonymous' && (
          <LoginForm
            onDone={() => {
              const next = new URL(location.href).searchParams.get('siguiente');
              navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/pendientes');
            }}
          />
        )}
        {session.status === 'in' && (
          <section class="card" aria-labelledby="welcome">
            <h2 id="welcome">Hola, {displayName(session.me)}</h2>
            {session.me.person ? (
              <ul>
                <li>
                  <a href="/pendientes">Mis pendientes</a>: actas por revisar, rubricar y firmar.
                </li>
                <li>
                  <a href="/mi-firma">Mi firma</a>: su PIN o su e.firma.
                </li>
                <li>
                  <a href="/archivo">Archivo de actas</a>: buscar actas y descargar el PDF sellado, la copia certificada y el acuse.
                </li>
              </ul>
            ) : (
              <>
                <p>
                  {session.me.account.administrator
                    ? 'Su cuenta administra esta instalación de Rúbrica.'
                    : 'Su cuenta consulta las actas archivadas de sus secretariados.'}
                </p>
                <p>
                  <a class="button secondary" href="/archivo">
                    Buscar en el archivo de actas
                  </a>
                </p>
              </>
            )}
          </section>
        )}
        <section class="card" aria-labelledby="verify-title">
          <h2 id="verify-title">¿Recibió un acta firmada?</h2>
          <p>Cualquier persona puede comprobar si un acta en PDF está completa y sin alteraciones, sin crear una cuenta.</p>
          <a class="button secondary" href="/verificar">
            Verificar un acta
          </a>
        </section>
      </div>
      <section aria-labelledby="secretariats-title">
        <h2 id="secretariats-title">Secretariados en esta instalación</h2>
        {error && <Alert tone="error">{error}</Alert>}
        {!secretariats && !error && <Loading what="los secretariados" />}
        {secretariats && secretariats.length === 0 && <p>Aún no hay secretariados registrados.</p>}
        {secretariats && secretariats.length > 0 && (
          <ul class="plain">
            {secretariats.map((s) => (
              <li key={s.id}>
                <a class="task-title" href={`/secretariados/${s.id}`}>
                  {s.name}
                </a>
                <div class="meta">
                  {SECRETARIAT_KIND[s.kind] ?? s.kind} · {s.place}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Page>
  );
}
