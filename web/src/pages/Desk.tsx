// "/escritorio": the facilitator's desk, per secretariat where the caller facilitates: the
// sessions, each with its record (SessionRecordPanel: attendance, votes, agreements) and the
// minute's draft generated from a closed session's record, the actas in
// progress with their required signers and who is still missing, the reminder settings and
// the reminders and notices sent (NotificationsPanel),
// convening a session, the microsite's contact and publications, and the inbox of the public's questions, complaints, suggestions and requests to take
// part, each answered here.
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf, ok, type Acta, type Schemas } from '../api/client';
import { personId, useSession } from '../session';
import { Alert, Badge, Loading, Page } from '../ui/components';
import { ACTA_STATE, dateEs, SESSION_KIND, SESSION_STATUS, SUBMISSION_KIND, SUBMISSION_STATUS, timeEs } from '../ui/format';
import { LoginForm } from './LoginForm';
import { NotificationsPanel } from './NotificationsPanel';
import { SessionRecordPanel } from './SessionRecordPanel';

export function Desk() {
  const session = useSession();
  if (session.status === 'loading') return <Loading what="su sesión" />;
  if (session.status === 'anonymous') {
    return (
      <Page title="Escritorio de la facilitación">
        <LoginForm />
      </Page>
    );
  }
  const mine = session.me.secretariats.filter((s) => s.roles.includes('facilitator'));
  return (
    <Page title="Escritorio de la facilitación">
      {mine.length === 0 && <p>Su cuenta no tiene a su cargo la facilitación de ningún secretariado.</p>}
      {mine.map((s) => (
        <SecretariatDesk key={s.id} id={s.id} name={s.name} facilitatorId={personId(session.me)} />
      ))}
    </Page>
  );
}

// Shows and hides a session's record (attendance, votes, agreements) below it.
function RecordToggle({ session, facilitatorId, onChanged }: { session: Schemas['Session']; facilitatorId: number; onChanged: () => void }) {
  const [open, setOpen] = useState(false);
  if (session.status === 'cancelled') return null;
  const panel = `record-panel-${session.id}`;
  return (
    <div>
      <button type="button" class="secondary" aria-expanded={open} aria-controls={panel} onClick={() => setOpen(!open)}>
        {open ? 'Ocultar' : 'Ver'} el registro de la sesión<span class="sr-only"> del {dateEs(session.session_date)}</span>
      </button>
      <div id={panel}>{open && <SessionRecordPanel sessionId={session.id} facilitatorId={facilitatorId} onChanged={onChanged} />}</div>
    </div>
  );
}

function SecretariatDesk({ id, name, facilitatorId }: { id: number; name: string; facilitatorId: number }) {
  const [sessions, setSessions] = useState<Schemas['Session'][] | null>(null);
  const [actas, setActas] = useState<Acta[] | null>(null);
  const [reminders, setReminders] = useState<Schemas['ReminderSettings'] | null>(null);
  const [inbox, setInbox] = useState<Schemas['Submission'][] | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const path = { params: { path: { secretariat_id: id } } };
  function load() {
    Promise.all([
      ok(api.GET('/api/secretariats/{secretariat_id}/sessions', path)),
      ok(api.GET('/api/secretariats/{secretariat_id}/actas', path)),
      ok(api.GET('/api/secretariats/{secretariat_id}/reminders', path)),
      ok(api.GET('/api/secretariats/{secretariat_id}/submissions', path)),
    ])
      .then(([ss, a, r, inbox]) => {
        setSessions(ss.sessions);
        setActas(a.actas);
        setReminders(r);
        setInbox(inbox.submissions);
      })
      .catch((e) => setError(messageOf(e)));
  }
  useEffect(load, [id]);

  async function draft(sessionId: number) {
    setError('');
    try {
      const a = await ok(api.POST('/api/sessions/{session_id}/minute', { params: { path: { session_id: sessionId } } }));
      setNotice(`Se generó el borrador «${a.title}».`);
      load();
    } catch (e) {
      setError(messageOf(e));
    }
  }

  const headingId = `desk-${id}`;
  const inProgress = actas?.filter((a) => a.state !== 'archived' && a.state !== 'delivered') ?? [];
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{name}</h2>
      {error && <Alert tone="error">{error}</Alert>}
      {notice && <Alert tone="ok">{notice}</Alert>}
      {(!sessions || !actas || !inbox || !reminders) && !error && <Loading what="el escritorio" />}

      {inbox && (
        <div class="card">
          <h3 id={`inbox-${id}`}>Buzón del micrositio</h3>
          {inbox.length === 0 && <p>No hay mensajes del público.</p>}
          <ul class="plain" aria-labelledby={`inbox-${id}`}>
            {inbox.map((s) => (
              <InboxItem key={s.id} secretariat={id} item={s} onAnswered={load} />
            ))}
          </ul>
        </div>
      )}

      {sessions && actas && (
        <div class="card">
          <h3>Sesiones</h3>
          <ConveneForm secretariat={id} onConvened={load} />
          {sessions.length === 0 && <p>Aún no hay sesiones convocadas.</p>}
          <ul class="plain">
            {sessions
              .slice()
              .reverse()
              .map((x) => {
                const minute = actas.find((a) => a.session_id === x.id);
                return (
                  <li key={x.id}>
                    <span class="task-title">
                      Sesión {SESSION_KIND[x.kind] ?? x.kind} del {dateEs(x.session_date)}
                    </span>{' '}
                    <Badge tone="neutral">{SESSION_STATUS[x.status] ?? x.status}</Badge>
                    <div class="meta">
                      {timeEs(x.starts_at)} · {x.place} · {x.agenda.length} puntos en el orden del día
                    </div>
                    {minute && (
                      <a href={`/actas/${minute.id}`}>
                        Acta: {ACTA_STATE[minute.state] ?? minute.state}
                        <span class="sr-only"> ({minute.title})</span>
                      </a>
                    )}
                    <RecordToggle session={x} facilitatorId={facilitatorId} onChanged={load} />
                    {!minute && x.status === 'closed' && (
                      <button type="button" class="secondary" onClick={() => draft(x.id)}>
                        Generar el borrador del acta<span class="sr-only"> de la sesión del {dateEs(x.session_date)}</span>
                      </button>
                    )}
                  </li>
                );
              })}
          </ul>
        </div>
      )}

      {actas && (
        <div class="card">
          <h3>Actas en curso: quién falta</h3>
          {inProgress.length === 0 && <p>No hay actas en curso.</p>}
          {inProgress.map((a) => {
            const missingRubric = a.signers.filter((s) => !s.rubric_signed);
            const missingFoot = a.signers.filter((s) => !s.foot_signed);
            return (
              <div key={a.id}>
                <h4>
                  <a href={`/actas/${a.id}`}>{a.title}</a>
                </h4>
                <p class="meta">
                  {dateEs(a.acta_date)} · {ACTA_STATE[a.state] ?? a.state} · {a.signers.length} firmantes requeridos
                </p>
                {(a.state === 'rubric' || a.state === 'foot_signature') && (
                  <ul>
                    <li>Falta rubricar: {missingRubric.length ? missingRubric.map((s) => s.full_name).join(', ') : 'nadie'}.</li>
                    <li>Falta firmar al calce: {missingFoot.length ? missingFoot.map((s) => s.full_name).join(', ') : 'nadie'}.</li>
                  </ul>
                )}
              </div>
            );
          })}
        </div>
      )}

      <MicrositeEditor secretariat={id} />

      {reminders && (
        <div class="card">
          <h3>Recordatorios</h3>
          <ul>
            <li>Recordatorio de sesión: {reminders.session_hours} horas antes.</li>
            <li>Recordatorio de firmas y entregas: {reminders.due_business_days} días hábiles antes del vencimiento.</li>
            <li>Aviso de atrasos: {reminders.late ? 'activado' : 'desactivado'}.</li>
          </ul>
        </div>
      )}

      {sessions && <NotificationsPanel secretariat={id} sessions={sessions} />}
    </section>
  );
}

function InboxItem({ secretariat, item, onAnswered }: { secretariat: number; item: Schemas['Submission']; onAnswered: () => void }) {
  const [answer, setAnswer] = useState(item.answer);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const field = `answer-${item.id}`;
  async function submit(e: Event) {
    e.preventDefault();
    if (!answer.trim()) {
      setError('Escriba la respuesta.');
      return;
    }
    setBusy(true);
    setError('');
    try {
      await ok(
        api.POST('/api/secretariats/{secretariat_id}/submissions/{submission_id}/answer', {
          params: { path: { secretariat_id: secretariat, submission_id: item.id } },
          body: { answer },
        }),
      );
      onAnswered();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <li>
      <span class="task-title">
        {SUBMISSION_KIND[item.kind] ?? item.kind} {item.folio}
      </span>{' '}
      <Badge tone={item.status === 'answered' ? 'ok' : 'pending'}>{SUBMISSION_STATUS[item.status] ?? item.status}</Badge>
      <div class="meta">
        {timeEs(item.filed_at)}
        {item.name && <> · {item.name}</>}
        {item.contact && <> · {item.contact}</>}
        {item.organisation && <> · {item.organisation}</>}
      </div>
      <p class="pre">{item.text}</p>
      <form onSubmit={submit}>
        {error && <Alert tone="error">{error}</Alert>}
        <div class="field">
          <label for={field}>Respuesta al folio {item.folio}</label>
          <textarea id={field} maxLength={4000} value={answer} onInput={(e) => setAnswer(e.currentTarget.value)} />
        </div>
        <button type="submit" disabled={busy}>
          {item.status === 'answered' ? 'Corregir la respuesta' : 'Enviar la respuesta'}
        </button>
      </form>
    </li>
  );
}

const ITEM_KINDS: [string, string][] = [
  ['communique', 'Comunicado'],
  ['photo', 'Fotografía'],
  ['video', 'Video'],
  ['audio', 'Audio'],
];

/** The file's bytes as base64 (without the data: prefix). */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(new Error('No se pudo leer el archivo.'));
    r.readAsDataURL(file);
  });
}

// The microsite's contact (replaced whole with its links) and a new publication.
function MicrositeEditor({ secretariat }: { secretariat: number }) {
  const [site, setSite] = useState<Schemas['Microsite'] | null>(null);
  const [contact, setContact] = useState({ email: '', phone: '', address: '', hours: '' });
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [kind, setKind] = useState('communique');
  const [title, setTitle] = useState('');
  const [date, setDate] = useState(new Date(Date.now() - 6 * 3600 * 1000).toISOString().slice(0, 10));
  const [url, setUrl] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const path = { params: { path: { secretariat_id: secretariat } } };
  useEffect(() => {
    ok(api.GET('/api/secretariats/{secretariat_id}/microsite', path))
      .then((m) => {
        setSite(m);
        setContact(m.contact);
      })
      .catch((e) => setError(messageOf(e)));
  }, [secretariat]);
  const p = `ms-${secretariat}`;

  async function saveContact(e: Event) {
    e.preventDefault();
    setError('');
    setNotice('');
    try {
      const m = await ok(api.POST('/api/secretariats/{secretariat_id}/microsite/profile', { ...path, body: { ...contact, links: (site?.links ?? []) as never } }));
      setSite(m);
      setNotice('Se guardó el contacto del micrositio.');
    } catch (err) {
      setError(messageOf(err));
    }
  }

  async function publish(e: Event) {
    e.preventDefault();
    setError('');
    setNotice('');
    if (!title.trim() || (!url.trim() && !file)) {
      setError('Indique el título y un enlace o un archivo.');
      return;
    }
    try {
      const body = file
        ? { kind, title: title.trim(), published_on: date, file: await readBase64(file), content_type: file.type }
        : { kind, title: title.trim(), published_on: date, url: url.trim() };
      const item = await ok(api.POST('/api/secretariats/{secretariat_id}/microsite/items', { ...path, body: body as never }));
      setNotice(`Se publicó «${item.title}» en el micrositio.`);
      setTitle('');
      setUrl('');
      setFile(null);
    } catch (err) {
      setError(messageOf(err));
    }
  }

  return (
    <div class="card">
      <h3>Micrositio</h3>
      <p>
        <a href={`/secretariados/${secretariat}`}>Ver el micrositio público</a>
      </p>
      {error && <Alert tone="error">{error}</Alert>}
      {notice && <Alert tone="ok">{notice}</Alert>}
      <form onSubmit={saveContact}>
        <fieldset>
          <legend>Contacto</legend>
          {(
            [
              ['email', 'Correo electrónico', 'email'],
              ['phone', 'Teléfono', 'tel'],
              ['address', 'Domicilio', 'street-address'],
              ['hours', 'Horario de atención', 'off'],
            ] as const
          ).map(([key, label, auto]) => (
            <div class="field" key={key}>
              <label for={`${p}-${key}`}>{label}</label>
              <input
                id={`${p}-${key}`}
                type="text"
                autocomplete={auto}
                value={contact[key]}
                onInput={(e) => setContact({ ...contact, [key]: e.currentTarget.value })}
              />
            </div>
          ))}
          <button type="submit" class="secondary">
            Guardar el contacto
          </button>
        </fieldset>
      </form>
      <form onSubmit={publish}>
        <fieldset>
          <legend>Publicar una evidencia o un comunicado</legend>
          <div class="field">
            <label for={`${p}-kind`}>Tipo</label>
            <select id={`${p}-kind`} value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
              {ITEM_KINDS.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for={`${p}-title`}>Título</label>
            <input id={`${p}-title`} type="text" maxLength={300} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for={`${p}-date`}>Fecha de publicación</label>
            <input id={`${p}-date`} type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for={`${p}-url`}>Enlace (https://…)</label>
            <input id={`${p}-url`} type="url" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for={`${p}-file`}>O un archivo</label>
            <input
              id={`${p}-file`}
              type="file"
              accept="image/jpeg,image/png,image/webp,application/pdf,video/mp4,video/webm,audio/mpeg,audio/ogg,audio/wav"
              aria-describedby={`${p}-file-hint`}
              onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
            />
            <p class="hint" id={`${p}-file-hint`}>
              Imagen, PDF, video o audio de hasta 1.5 MB; para archivos mayores, publique un enlace.
            </p>
          </div>
          <button type="submit">Publicar</button>
        </fieldset>
      </form>
    </div>
  );
}

// Convenes a session: its kind, date and time (the secretariat's zone, America/Mexico_City,
// UTC-6 all year), place and agenda, one item per line. The service checks the notice.
function ConveneForm({ secretariat, onConvened }: { secretariat: number; onConvened: () => void }) {
  const [kind, setKind] = useState<'ordinary' | 'extraordinary'>('ordinary');
  const [when, setWhen] = useState('');
  const [place, setPlace] = useState('');
  const [agenda, setAgenda] = useState('Lista de asistencia y declaración de quórum\nAprobación del orden del día\nAsuntos generales');
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const p = `convene-${secretariat}`;
  async function submit(e: Event) {
    e.preventDefault();
    setError('');
    setNotice('');
    const items = agenda.split('\n').map((x) => x.trim()).filter(Boolean);
    if (!when || !place.trim() || items.length === 0) {
      setError('Indique la fecha y hora, el lugar y al menos un punto del orden del día.');
      return;
    }
    try {
      const r = await ok(
        api.POST('/api/secretariats/{secretariat_id}/sessions', {
          params: { path: { secretariat_id: secretariat } },
          body: { kind, starts_at: `${when}:00-06:00`, place: place.trim(), agenda: items },
        }),
      );
      setNotice(`Se convocó la sesión del ${dateEs(r.session.session_date)}.`);
      onConvened();
    } catch (err) {
      setError(messageOf(err));
    }
  }
  return (
    <details class="convene">
      <summary>Convocar una sesión</summary>
      {error && <Alert tone="error">{error}</Alert>}
      {notice && <Alert tone="ok">{notice}</Alert>}
      <form onSubmit={submit}>
        <div class="field">
          <label for={`${p}-kind`}>Tipo de sesión</label>
          <select id={`${p}-kind`} value={kind} onChange={(e) => setKind(e.currentTarget.value as 'ordinary' | 'extraordinary')}>
            <option value="ordinary">Ordinaria</option>
            <option value="extraordinary">Extraordinaria</option>
          </select>
        </div>
        <div class="field">
          <label for={`${p}-when`}>Fecha y hora (hora del centro de México)</label>
          <input id={`${p}-when`} type="datetime-local" value={when} onInput={(e) => setWhen(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for={`${p}-place`}>Lugar</label>
          <input id={`${p}-place`} type="text" maxLength={300} value={place} onInput={(e) => setPlace(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for={`${p}-agenda`}>Orden del día (un punto por línea)</label>
          <textarea id={`${p}-agenda`} value={agenda} onInput={(e) => setAgenda(e.currentTarget.value)} />
        </div>
        <button type="submit">Convocar</button>
      </form>
    </details>
  );
}
