// "/pendientes": what the member has to do now. Built from the actas of each secretariat
// the member belongs to (drafts in review, rubrics, foot signatures, with their deadline:
// the approval date). The tasks API of issue 12 (/api/me/tasks) will add convocations and
// agendas.
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf, ok, type Acta } from '../api/client';
import { personId, useSession } from '../session';
import { Alert, Loading, Page } from '../ui/components';
import { ACTA_STATE, dateEs } from '../ui/format';
import { LoginForm } from './LoginForm';

interface Task {
  acta: Acta;
  secretariat: string;
  what: string;
  due: string;
}

export function tasksFor(actas: Acta[], me: number, secretariat: string): Task[] {
  const out: Task[] = [];
  for (const a of actas) {
    const s = a.signers.find((x) => x.person_id === me);
    if (!s) continue;
    const approval = a.approvals.length ? a.approvals[a.approvals.length - 1].approved_on : '';
    if (a.state === 'review') out.push({ acta: a, secretariat, what: 'Revisar el borrador y comentar', due: '' });
    if (a.state === 'rubric' && !s.rubric_signed) out.push({ acta: a, secretariat, what: 'Rubricar cada hoja', due: approval });
    if (a.state === 'foot_signature' && !s.foot_signed) out.push({ acta: a, secretariat, what: 'Firmar al calce', due: approval });
  }
  return out;
}

export function Pending() {
  const session = useSession();
  const [tasks, setTasks] = useState<Task[] | null>(null);
  const [recent, setRecent] = useState<{ acta: Acta; secretariat: string }[]>([]);
  const [error, setError] = useState('');
  useEffect(() => {
    if (session.status !== 'in') return;
    const me = session.me;
    (async () => {
      const all: Task[] = [];
      const seen: { acta: Acta; secretariat: string }[] = [];
      for (const s of me.secretariats) {
        const r = await ok(api.GET('/api/secretariats/{secretariat_id}/actas', { params: { path: { secretariat_id: s.id } } }));
        all.push(...tasksFor(r.actas, personId(me), s.name));
        seen.push(...r.actas.map((a) => ({ acta: a, secretariat: s.name })));
      }
      setTasks(all);
      setRecent(seen.slice(-10).reverse());
    })().catch((e) => setError(messageOf(e)));
  }, [session.status]);

  if (session.status === 'loading') return <Loading what="su sesión" />;
  if (session.status === 'anonymous') {
    return (
      <Page title="Mis pendientes">
        <LoginForm />
      </Page>
    );
  }
  return (
    <Page title="Mis pendientes">
      {error && <Alert tone="error">{error}</Alert>}
      {!tasks && !error && <Loading what="sus pendientes" />}
      {tasks && tasks.length === 0 && <Alert tone="ok">No tiene actas pendientes de revisar ni de firmar.</Alert>}
      {tasks && tasks.length > 0 && (
        <ul class="plain" aria-label="Actas pendientes">
          {tasks.map((t) => (
            <li key={`${t.acta.id}-${t.what}`}>
              <a class="task-title" href={`/actas/${t.acta.id}`}>
                {t.what}: {t.acta.title}
              </a>
              <div class="meta">
                {t.secretariat}
                {t.due && <> · Fecha límite: hoy, {dateEs(t.due)} (el día de la aprobación)</>}
              </div>
            </li>
          ))}
        </ul>
      )}
      {recent.length > 0 && (
        <section aria-labelledby="recent-title">
          <h2 id="recent-title">Actas de sus secretariados</h2>
          <ul class="plain">
            {recent.map(({ acta, secretariat }) => (
              <li key={acta.id}>
                <a href={`/actas/${acta.id}`}>{acta.title}</a>
                <div class="meta">
                  {secretariat} · {ACTA_STATE[acta.state] ?? acta.state} · {dateEs(acta.acta_date)}
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </Page>
  );
}
