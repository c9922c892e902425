// "/pendientes": what the member has to do, from GET /api/me/tasks (the server decides what
// is due: convocations to acknowledge (a button, done in place), drafts to review, rubrics and foot signatures with their deadline — the approval
// date —, deliveries to the agency, and registering how to sign), grouped by secretariat in
// the server's order (by deadline).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, messageOf, ok, type Schemas } from '../api/client';
import { useSession } from '../session';
import { Alert, Badge, Loading, Page } from '../ui/components';
import { dateEs, isoDateInMexico } from '../ui/format';
import { LoginForm } from './LoginForm';

type Task = Schemas['Task'];

/** The link that does the task, in words that say what it does; null when it cannot be done yet. */
function action(t: Task): string | null {
  switch (t.kind) {
    case 'convocation':
      return null; // a button: acknowledged in place
    case 'review':
      return 'Revisar y comentar el borrador';
    case 'rubric':
      return 'Rubricar las hojas del acta';
    case 'foot':
      return t.ready ? 'Firmar al calce' : null;
    case 'delivery':
      return 'Ver la entrega al órgano garante';
    case 'cannot_sign':
      return 'Registrar cómo firmaré';
    default:
      return 'Abrir';
  }
}

function Deadline({ task, today }: { task: Task; today: string }) {
  if (!task.deadline) return null;
  const when = task.deadline === today ? `hoy, ${dateEs(task.deadline)}` : dateEs(task.deadline);
  const why = task.kind === 'rubric' || task.kind === 'foot' ? ' (el día de la aprobación)' : '';
  return (
    <>
      Fecha límite: {when}
      {why}
    </>
  );
}

function TaskItem({ task, today, id, onAcknowledge }: { task: Task; today: string; id: string; onAcknowledge: (t: Task) => void }) {
  const link = action(task);
  return (
    <li>
      <h3 class="task-title" id={id}>
        {task.title_es}
      </h3>
      <p class="meta">
        <Deadline task={task} today={today} />
        {task.overdue && (
          <>
            {' '}
            <Badge tone="bad">vencida</Badge>
          </>
        )}
        {task.kind === 'foot' && !task.ready && (
          <>
            {task.deadline && ' · '}
            <Badge tone="neutral">después de rubricar</Badge>
          </>
        )}
      </p>
      {task.kind === 'foot' && !task.ready && (
        <p>La firma al calce se abre cuando todas las personas firmantes hayan rubricado el acta.</p>
      )}
      {task.kind === 'cannot_sign' && (
        <p>
          Mientras no lo haga, no podrá rubricar ni firmar actas. Si ya tenía un PIN y lo olvidó, pida a la persona facilitadora de su
          secretariado un enlace para registrar de nuevo su firma.
        </p>
      )}
      {task.kind === 'convocation' && task.session_id !== null && (
        <button type="button" aria-describedby={id} onClick={() => onAcknowledge(task)}>
          Acusar recibo de la convocatoria
        </button>
      )}
      {link && (
        // Several tasks can share the link's words: the task's title describes which one.
        <a href={task.web_route} aria-describedby={id}>
          {link}
        </a>
      )}
    </li>
  );
}

/** The tasks by secretariat, in the order they come; tasks of no secretariat (how to sign) first. */
function bySecretariat(tasks: Task[]): { name: string; tasks: Task[] }[] {
  const groups = new Map<string, { name: string; tasks: Task[] }>();
  for (const t of tasks) {
    const key = t.secretariat_id === null ? '' : String(t.secretariat_id);
    const name = t.secretariat_id === null ? 'Su firma' : t.secretariat_name;
    if (!groups.has(key)) groups.set(key, { name, tasks: [] });
    groups.get(key)!.tasks.push(t);
  }
  return [...groups.values()];
}

export function Pending() {
  const session = useSession();
  const [tasks, setTasks] = useState<Task[] | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const noticeRef = useRef<HTMLDivElement>(null);
  function load() {
    ok(api.GET('/api/me/tasks'))
      .then((r) => setTasks(r.tasks))
      .catch((e) => setError(messageOf(e)));
  }
  useEffect(() => {
    if (session.status !== 'in') return;
    load();
  }, [session.status]);
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  // POST /api/sessions/{id}/acknowledge; the task then leaves the list (the server's tasks).
  async function acknowledge(t: Task) {
    setError('');
    setNotice('');
    try {
      const s = await ok(api.POST('/api/sessions/{session_id}/acknowledge', { params: { path: { session_id: t.session_id! } } }));
      setTasks((ts) => ts?.filter((x) => !(x.kind === 'convocation' && x.session_id === t.session_id)) ?? null);
      setNotice(`Se registró su acuse de recibo de la convocatoria a la sesión del ${dateEs(s.session.session_date)}.`);
      load();
    } catch (e) {
      setError(messageOf(e));
    }
  }

  if (session.status === 'loading') return <Loading what="su sesión" />;
  if (session.status === 'anonymous') {
    return (
      <Page title="Mis pendientes">
        <LoginForm />
      </Page>
    );
  }
  const today = isoDateInMexico(new Date());
  return (
    <Page title="Mis pendientes">
      {error && <Alert tone="error">{error}</Alert>}
      {notice && (
        <div tabIndex={-1} ref={noticeRef}>
          <Alert tone="ok">{notice}</Alert>
        </div>
      )}
      {!tasks && !error && <Loading what="sus pendientes" />}
      {tasks && tasks.length === 0 && <Alert tone="ok">No tiene pendientes.</Alert>}
      {tasks &&
        bySecretariat(tasks).map((g, i) => (
          <section key={g.name} aria-labelledby={`group-${i}`}>
            <h2 id={`group-${i}`}>{g.name}</h2>
            <ul class="plain">
              {g.tasks.map((t, j) => (
                <TaskItem
                  key={`${t.kind}-${t.acta_id ?? ''}-${t.session_id ?? ''}-${t.title_es}`}
                  task={t}
                  today={today}
                  id={`task-${i}-${j}`}
                  onAcknowledge={acknowledge}
                />
              ))}
            </ul>
          </section>
        ))}
    </Page>
  );
}
