// Who is logged in: GET /api/me, shared by every page, refreshed after login and logout.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, csrf, ok, type Me } from './api/client';

export type SessionState = { status: 'loading' } | { status: 'anonymous' } | { status: 'in'; me: Me };

let current: SessionState = { status: 'loading' };
const listeners = new Set<(s: SessionState) => void>();

function publish(s: SessionState) {
  current = s;
  listeners.forEach((l) => l(s));
}

let inflight: Promise<SessionState> | null = null;

export function refreshSession(): Promise<SessionState> {
  inflight ??= load().finally(() => {
    inflight = null;
  });
  return inflight;
}

async function load(): Promise<SessionState> {
  const r = await api.GET('/api/me');
  // A session without its CSRF token (another browser's, or storage cleared) cannot change
  // anything: treat it as logged out so the person logs in again.
  const s: SessionState =
    r.response.ok && r.data && csrf.get() ? { status: 'in', me: r.data } : { status: 'anonymous' };
  publish(s);
  return s;
}

export function useSession(): SessionState {
  const [s, setS] = useState(current);
  useEffect(() => {
    listeners.add(setS);
    if (current.status === 'loading') void refreshSession();
    else setS(current);
    return () => {
      listeners.delete(setS);
    };
  }, []);
  return s;
}

export async function logIn(login: string, password: string): Promise<Me> {
  const r = await ok(api.POST('/api/auth/login', { body: { login, password } }));
  csrf.set(r.csrf_token);
  const s = await refreshSession();
  if (s.status !== 'in') throw new ApiError(401, 'web.login', 'No se pudo iniciar la sesión.');
  return s.me;
}

export async function logOut() {
  try {
    await api.POST('/api/auth/logout');
  } finally {
    csrf.clear();
    publish({ status: 'anonymous' });
  }
}

/** The logged-in person's id (0 for accounts that are not a person). */
export function personId(me: Me): number {
  return me.person?.id ?? 0;
}

export function displayName(me: Me): string {
  return me.person?.full_name || me.account.login;
}
