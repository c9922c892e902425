// The few building blocks every page uses: the frame (skip link, header, navigation,
// footer), a page with its title (focused on arrival, for screen readers), alerts, fields.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { logOut, useSession, displayName } from '../session';
import { navigate } from '../router';

export function Frame({ children }: { children: ComponentChildren }) {
  const session = useSession();
  return (
    <>
      <a class="skip-link" href="#contenido">
        Saltar al contenido
      </a>
      <header class="site">
        <div class="bar">
          <a class="brand" href="/">
            Rúbrica
          </a>
          <nav aria-label="Principal">
            <ul>
              {session.status === 'in' && session.me.person && (
                <>
                  <li>
                    <a href="/pendientes">Mis pendientes</a>
                  </li>
                  <li>
                    <a href="/mi-firma">Mi firma</a>
                  </li>
                </>
              )}
              {session.status === 'in' && session.me.secretariats.some((s) => s.roles.includes('facilitator')) && (
                <li>
                  <a href="/escritorio">Escritorio</a>
                </li>
              )}
              {session.status === 'in' && session.me.secretariats.some((s) => s.roles.includes('garante')) && (
                <li>
                  <a href="/garante">Tablero del garante</a>
                </li>
              )}
              <li>
                <a href="/archivo">Archivo</a>
              </li>
              <li>
                <a href="/verificar">Verificar un acta</a>
              </li>
              {session.status === 'in' && (
                <li>
                  <button
                    type="button"
                    class="link"
                    onClick={async () => {
                      await logOut();
                      navigate('/');
                    }}
                  >
                    Cerrar sesión ({displayName(session.me)})
                  </button>
                </li>
              )}
            </ul>
          </nav>
        </div>
      </header>
      <main id="contenido" tabIndex={-1}>
        {children}
      </main>
      <footer class="site">
        Rúbrica: actas y firmas de los secretariados técnicos de gobierno abierto.
      </footer>
    </>
  );
}

/** A page: sets the document title and moves focus to its heading when it appears. */
export function Page({ title, children }: { title: string; children: ComponentChildren }) {
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Rúbrica`;
    h1.current?.focus();
  }, [title]);
  return (
    <>
      <h1 tabIndex={-1} ref={h1}>
        {title}
      </h1>
      {children}
    </>
  );
}

type Tone = 'error' | 'ok' | 'info' | 'warn';

/** Errors are announced at once (role=alert); other news politely (role=status). */
export function Alert({ tone, children }: { tone: Tone; children: ComponentChildren }) {
  return (
    <div class={`alert ${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" aria-live="polite">
      Cargando {what}…
    </p>
  );
}

export function Badge({ tone, children }: { tone: 'ok' | 'bad' | 'pending' | 'neutral'; children: ComponentChildren }) {
  return <span class={`badge ${tone}`}>{children}</span>;
}
