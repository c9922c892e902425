// The session's record on the facilitator's desk, read from GET /api/sessions/{id}/record
// and written through the session API: attendance seat by seat (titular, substitute or
// absent) and the facilitator, opening with the quorum, the agenda's approval, decisions
// with one vote per seat present and their tallies, agreements with owner and due date,
// and closing. The service applies the rules (one person per seat, quorum, presider) and
// its refusals are shown in its Spanish message.
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf, ok, type Schemas } from '../api/client';
import { Alert, Badge } from '../ui/components';
import { dateEs } from '../ui/format';

type Record_ = Schemas['SessionMinutesRecord'];
type Choice = 'yes' | 'no' | 'abstain';

const PRESENCE: Record<string, string> = { titular: 'Asistió el titular', substitute: 'Asistió el suplente', absent: 'Ausente' };
const CHOICE: Record<string, string> = { yes: 'A favor', no: 'En contra', abstain: 'Abstención' };
const OUTCOME: Record<string, string> = { approved: 'Aprobado', rejected: 'Rechazado', tied: 'Empate' };

/** The person who sat in the seat, when someone did. */
function present(seat: Schemas['SeatInSession']): Schemas['RecordPerson'] | null {
  if (seat.presence === 'titular') return seat.titular;
  if (seat.presence === 'substitute') return seat.substitute;
  return null;
}

export function SessionRecordPanel({ sessionId, facilitatorId, onChanged }: { sessionId: number; facilitatorId: number; onChanged: () => void }) {
  const [record, setRecord] = useState<Record_ | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const params = { params: { path: { session_id: sessionId } } };
  const p = `rec-${sessionId}`;

  function load() {
    ok(api.GET('/api/sessions/{session_id}/record', params))
      .then(setRecord)
      .catch((e) => setError(messageOf(e)));
  }
  useEffect(load, [sessionId]);

  async function act(what: () => Promise<unknown>, done: string) {
    setBusy(true);
    setError('');
    setNotice('');
    try {
      await what();
      setNotice(done);
      load();
      onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  if (!record) return error ? <Alert tone="error">{error}</Alert> : <p role="status">Cargando el registro de la sesión…</p>;
  const status = record.session.status;
  const underWay = status === 'convened' || status === 'open';
  const sitting = record.seats.map((s) => ({ seat: s, person: present(s) })).filter((x) => x.person) as {
    seat: Schemas['SeatInSession'];
    person: Schemas['RecordPerson'];
  }[];

  const attend = (person: Schemas['RecordPerson'] | { id: number; full_name: string }) =>
    act(
      () => ok(api.POST('/api/sessions/{session_id}/attendance', { ...params, body: { person_id: person.id } })),
      `Se registró la asistencia de ${person.full_name}.`,
    );

  return (
    <div class="record">
      {error && <Alert tone="error">{error}</Alert>}
      {notice && <Alert tone="ok">{notice}</Alert>}
      <h4 id={`${p}-att`}>Asistencia</h4>
      <p class="meta">
        Quórum: {record.quorum.present} de {record.quorum.seats} asientos presentes; se requieren {record.quorum.needed} ({record.quorum.rule_es}).{' '}
        <Badge tone={record.quorum.met ? 'ok' : 'pending'}>{record.quorum.met ? 'Hay quórum' : 'Sin quórum'}</Badge>
      </p>
      <div class="table-wrap">
        <table aria-labelledby={`${p}-att`}>
          <thead>
            <tr>
              <th scope="col">Asiento</th>
              <th scope="col">Titular</th>
              <th scope="col">Suplente</th>
              <th scope="col">Asistencia</th>
            </tr>
          </thead>
          <tbody>
            {record.seats.map((s) => (
              <tr key={s.seat_id}>
                <th scope="row">
                  {s.member_type_label}
                  {s.represents && <div class="meta">{s.represents}</div>}
                </th>
                <td>{s.titular?.full_name ?? '—'}</td>
                <td>{s.substitute?.full_name ?? '—'}</td>
                <td>
                  <Badge tone={s.presence === 'absent' ? 'neutral' : 'ok'}>{PRESENCE[s.presence] ?? s.presence}</Badge>
                  {underWay && s.presence === 'absent' && (
                    <div class="actions">
                      {[s.titular, s.substitute].filter(Boolean).map((who) => (
                        <button type="button" class="secondary" key={who!.id} disabled={busy} onClick={() => attend(who!)}>
                          Registrar a {who!.full_name} ({who === s.titular ? 'titular' : 'suplente'})
                        </button>
                      ))}
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        Facilitación: {record.facilitator ? record.facilitator.full_name : '—'} ·{' '}
        {record.facilitator_present ? 'presente' : 'no registrada'}
        {underWay && !record.facilitator_present && record.facilitator && (
          <>
            {' '}
            <button type="button" class="link" disabled={busy} onClick={() => attend(record.facilitator!)}>
              Registrar mi asistencia
            </button>
          </>
        )}
      </p>
      {record.observers.length > 0 && <p>Observadores: {record.observers.map((o) => o.full_name).join(', ')}.</p>}

      {status === 'convened' && (
        <button
          type="button"
          disabled={busy}
          onClick={() => act(() => ok(api.POST('/api/sessions/{session_id}/opening', params)), 'Se abrió la sesión.')}
        >
          Abrir la sesión
        </button>
      )}
      {status === 'open' && !record.session.agenda_approved && (
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            act(
              () => ok(api.POST('/api/sessions/{session_id}/agenda-approval', { ...params, body: { approving: sitting.map((x) => x.person.id) } })),
              'Se registró la aprobación del orden del día.',
            )
          }
        >
          Registrar que los asientos presentes aprueban el orden del día
        </button>
      )}

      <h4>Votaciones</h4>
      {record.decisions.length === 0 && <p>No hay votaciones registradas.</p>}
      {record.decisions.map((d) => (
        <div key={d.id} class="decision">
          <table>
              <caption>
                Punto {d.item_position}: {d.subject} — <strong>{OUTCOME[d.tally.outcome] ?? d.tally.outcome}</strong> ({d.tally.yes} a favor,{' '}
                {d.tally.no} en contra, {d.tally.abstain} abstenciones de {d.tally.seats} asientos)
              </caption>
              <thead>
                <tr>
                  <th scope="col">Asiento</th>
                  <th scope="col">Persona</th>
                  <th scope="col">Voto</th>
                </tr>
              </thead>
              <tbody>
                {d.votes.map((v) => (
                  <tr key={v.seat_id}>
                    <td>{record.seats.find((s) => s.seat_id === v.seat_id)?.member_type_label ?? v.seat_id}</td>
                    <td>{v.person.full_name}</td>
                    <td>{CHOICE[v.choice] ?? v.choice}</td>
                  </tr>
                ))}
              </tbody>
          </table>
        </div>
      ))}
      {status === 'open' && record.session.agenda_approved && (
        <DecisionForm session={record} prefix={p} sitting={sitting} busy={busy} onSubmit={(body, subject) =>
          act(() => ok(api.POST('/api/sessions/{session_id}/decisions', { ...params, body: body as never })), `Se registró la votación «${subject}».`)
        } />
      )}

      <h4>Acuerdos</h4>
      {record.agreements.length === 0 && <p>No hay acuerdos registrados.</p>}
      {record.agreements.length > 0 && (
        <ul>
          {record.agreements.map((a) => (
            <li key={a.id}>
              {a.text} <span class="meta">· responsable: {a.owner.full_name} · vence el {dateEs(a.due_on)}</span>
            </li>
          ))}
        </ul>
      )}
      {(status === 'open' || status === 'closed') && (
        <AgreementForm record={record} prefix={p} facilitatorId={facilitatorId} busy={busy} onSubmit={(body) =>
          act(() => ok(api.POST('/api/secretariats/{secretariat_id}/agreements', { params: { path: { secretariat_id: record.session.secretariat_id } }, body })), `Se registró el acuerdo «${body.text}».`)
        } />
      )}

      {status === 'open' && (
        <button type="button" class="secondary" disabled={busy} onClick={() => act(() => ok(api.POST('/api/sessions/{session_id}/closing', params)), 'Se cerró la sesión.')}>
          Cerrar la sesión
        </button>
      )}
    </div>
  );
}

function DecisionForm({
  session,
  prefix,
  sitting,
  busy,
  onSubmit,
}: {
  session: Record_;
  prefix: string;
  sitting: { seat: Schemas['SeatInSession']; person: Schemas['RecordPerson'] }[];
  busy: boolean;
  onSubmit: (body: unknown, subject: string) => void;
}) {
  const [item, setItem] = useState(String(session.session.agenda[0]?.position ?? 1));
  const [subject, setSubject] = useState('');
  const [votes, setVotes] = useState<Record<number, Choice>>({});
  const [error, setError] = useState('');
  function submit(e: Event) {
    e.preventDefault();
    if (!subject.trim()) {
      setError('Escriba el asunto que se votó.');
      return;
    }
    setError('');
    onSubmit(
      { item_position: Number(item), subject: subject.trim(), votes: sitting.map((x) => ({ person_id: x.person.id, choice: votes[x.seat.seat_id] ?? 'yes' })) },
      subject.trim(),
    );
  }
  return (
    <form onSubmit={submit}>
      <fieldset>
        <legend>Registrar una votación</legend>
        {error && <Alert tone="error">{error}</Alert>}
        <div class="field">
          <label for={`${prefix}-item`}>Punto del orden del día</label>
          <select id={`${prefix}-item`} value={item} onChange={(e) => setItem(e.currentTarget.value)}>
            {session.session.agenda.map((a) => (
              <option key={a.position} value={String(a.position)}>
                {a.position}. {a.title}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${prefix}-subject`}>Asunto votado</label>
          <input id={`${prefix}-subject`} type="text" maxLength={500} value={subject} onInput={(e) => setSubject(e.currentTarget.value)} />
        </div>
        {sitting.map((x) => (
          <div class="field" key={x.seat.seat_id}>
            <label for={`${prefix}-vote-${x.seat.seat_id}`}>
              Voto de {x.person.full_name} ({x.seat.member_type_label})
            </label>
            <select
              id={`${prefix}-vote-${x.seat.seat_id}`}
              value={votes[x.seat.seat_id] ?? 'yes'}
              onChange={(e) => setVotes({ ...votes, [x.seat.seat_id]: e.currentTarget.value as Choice })}
            >
              <option value="yes">A favor</option>
              <option value="no">En contra</option>
              <option value="abstain">Abstención</option>
            </select>
          </div>
        ))}
        <button type="submit" disabled={busy}>
          Registrar la votación
        </button>
      </fieldset>
    </form>
  );
}

function AgreementForm({
  record,
  prefix,
  facilitatorId,
  busy,
  onSubmit,
}: {
  record: Record_;
  prefix: string;
  facilitatorId: number;
  busy: boolean;
  onSubmit: (body: { session_id: number; decision_id?: number; text: string; owner_person_id: number; due_on: string }) => void;
}) {
  const people = new Map<number, string>();
  for (const s of record.seats) {
    if (s.titular) people.set(s.titular.id, s.titular.full_name);
    if (s.substitute) people.set(s.substitute.id, s.substitute.full_name);
  }
  if (record.facilitator) people.set(record.facilitator.id, record.facilitator.full_name);
  const [text, setText] = useState('');
  const [owner, setOwner] = useState(String(facilitatorId || [...people.keys()][0] || ''));
  const [due, setDue] = useState('');
  // Only an approved decision gives rise to an agreement (workflows.decision_not_adopted).
  const adopted = record.decisions.filter((d) => d.tally.outcome === 'approved');
  const [decision, setDecision] = useState(String(adopted.at(-1)?.id ?? ''));
  const [error, setError] = useState('');
  function submit(e: Event) {
    e.preventDefault();
    if (!text.trim() || !owner || !due) {
      setError('Escriba el acuerdo, su responsable y la fecha de vencimiento.');
      return;
    }
    setError('');
    onSubmit({
      session_id: record.session.id,
      ...(decision ? { decision_id: Number(decision) } : {}),
      text: text.trim(),
      owner_person_id: Number(owner),
      due_on: due,
    });
  }
  return (
    <form onSubmit={submit}>
      <fieldset>
        <legend>Registrar un acuerdo</legend>
        {error && <Alert tone="error">{error}</Alert>}
        <div class="field">
          <label for={`${prefix}-agr-text`}>Acuerdo</label>
          <input id={`${prefix}-agr-text`} type="text" maxLength={1000} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for={`${prefix}-agr-decision`}>Decisión aprobada de la que deriva</label>
          <select id={`${prefix}-agr-decision`} value={decision} onChange={(e) => setDecision(e.currentTarget.value)}>
            <option value="">Ninguna</option>
            {adopted.map((d) => (
              <option key={d.id} value={String(d.id)}>
                {d.subject}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${prefix}-agr-owner`}>Responsable</label>
          <select id={`${prefix}-agr-owner`} value={owner} onChange={(e) => setOwner(e.currentTarget.value)}>
            {[...people].map(([id, name]) => (
              <option key={id} value={String(id)}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${prefix}-agr-due`}>Fecha de vencimiento</label>
          <input id={`${prefix}-agr-due`} type="date" value={due} onInput={(e) => setDue(e.currentTarget.value)} />
        </div>
        <button type="submit" disabled={busy}>
          Registrar el acuerdo
        </button>
      </fieldset>
    </form>
  );
}
