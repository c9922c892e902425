// The facilitator's desk: "Recordatorios y avisos enviados" — the mail the service sent, or
// is still trying to send, about the secretariat (listNotifications): convocations, "firme
// hoy", reminders, late notices, refused packages. For the whole secretariat or one
// session; each with its recipient (by name), its state in Spanish and its attempts.
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf, ok, type Schemas } from '../api/client';
import { Alert, Badge } from '../ui/components';
import { dateEs, NOTIFICATION_KIND, NOTIFICATION_STATE, SESSION_KIND, timeEs } from '../ui/format';

type Notification = Schemas['Notification'];

const PAGE = 20;

function tone(state: Notification['state']): 'ok' | 'bad' | 'pending' | 'neutral' {
  if (state === 'sent') return 'ok';
  if (state === 'dead') return 'bad';
  if (state === 'retrying') return 'pending';
  return 'neutral';
}

export function NotificationsPanel({ secretariat, sessions }: { secretariat: number; sessions: Schemas['Session'][] }) {
  const [session, setSession] = useState('');
  const [items, setItems] = useState<Notification[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function load(more: boolean) {
    setBusy(true);
    setError('');
    try {
      const query: { limit: number; session_id?: number; cursor?: string } = { limit: PAGE };
      if (session) query.session_id = Number(session);
      if (more && cursor) query.cursor = cursor;
      const page = await ok(
        api.GET('/api/secretariats/{secretariat_id}/notifications', {
          params: { path: { secretariat_id: secretariat }, query },
        }),
      );
      setItems(more && items ? [...items, ...page.notifications] : page.notifications);
      setCursor(page.next_cursor);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }
  useEffect(() => {
    load(false);
  }, [secretariat, session]);

  const headingId = `notifications-${secretariat}`;
  const selectId = `notifications-session-${secretariat}`;
  return (
    <div class="card">
      <h3 id={headingId}>Recordatorios y avisos enviados</h3>
      <div class="field">
        <label for={selectId}>Mostrar los avisos de</label>
        <select id={selectId} value={session} onChange={(e) => setSession(e.currentTarget.value)}>
          <option value="">todo el secretariado</option>
          {sessions
            .slice()
            .reverse()
            .map((s) => (
              <option key={s.id} value={String(s.id)}>
                la sesión {SESSION_KIND[s.kind] ?? s.kind} del {dateEs(s.session_date)}
              </option>
            ))}
        </select>
      </div>
      <button type="button" class="secondary" disabled={busy} onClick={() => load(false)}>
        Actualizar la lista<span class="sr-only"> de avisos</span>
      </button>
      {error && <Alert tone="error">{error}</Alert>}
      {items && items.length === 0 && <p>Aún no se ha enviado ningún aviso.</p>}
      {items && items.length > 0 && (
        <ul class="plain" aria-labelledby={headingId}>
          {items.map((n) => (
            <li key={n.id}>
              <span class="task-title">{n.subject || NOTIFICATION_KIND[n.kind] || n.kind}</span>{' '}
              <Badge tone={tone(n.state)}>{NOTIFICATION_STATE[n.state] ?? n.state}</Badge>
              <div class="meta">
                {NOTIFICATION_KIND[n.kind] ?? n.kind} · para {n.recipient.full_name || 'una persona sin nombre registrado'} ·
                generado {timeEs(n.created_at)}
              </div>
              <div class="meta">
                {n.attempts === 1 ? '1 intento' : `${n.attempts} intentos`}
                {n.sent_at && <> · enviado {timeEs(n.sent_at)}</>}
                {n.state !== 'sent' && n.next_attempt_at && <> · próximo intento {timeEs(n.next_attempt_at)}</>}
                {n.state === 'dead' && <> · ya no se reintentará</>}
              </div>
            </li>
          ))}
        </ul>
      )}
      {cursor && (
        <button type="button" class="secondary" disabled={busy} onClick={() => load(true)}>
          Ver más avisos
        </button>
      )}
    </div>
  );
}
