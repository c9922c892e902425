// "/garante": the organismo garante's board. For every secretariat where the caller holds
// the garante's seat, and a chosen month: each acta of the month seat by seat (titular or
// substitute, rubric, foot signature, the same date, sealed and complete) and what is due
// or late for the agency that month, and the month's signed packages with their state and
// the agency's receipt or refusal.
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf, ok, type Acta, type Schemas } from '../api/client';
import { useSession } from '../session';
import { Alert, Badge, Loading, Page } from '../ui/components';
import { ACTA_STATE, dateEs, OBLIGATION_STATUS, timeEs } from '../ui/format';
import { SignersTable } from '../ui/SignersTable';
import { LoginForm } from './LoginForm';

function thisMonth(): string {
  return new Date(Date.now() - 6 * 3600 * 1000).toISOString().slice(0, 7);
}

const MONTHS = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];
function monthEs(ym: string): string {
  const [y, m] = ym.split('-').map(Number);
  return `${MONTHS[m - 1]} de ${y}`;
}

export function Garante() {
  const session = useSession();
  const [month, setMonth] = useState(thisMonth());
  if (session.status === 'loading') return <Loading what="su sesión" />;
  if (session.status === 'anonymous') {
    return (
      <Page title="Tablero del órgano garante">
        <LoginForm />
      </Page>
    );
  }
  const mine = session.me.secretariats.filter((s) => s.roles.includes('garante'));
  return (
    <Page title="Tablero del órgano garante">
      <form class="inline-form" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="month">Mes</label>
          <input id="month" type="month" value={month} onInput={(e) => e.currentTarget.value && setMonth(e.currentTarget.value)} />
        </div>
      </form>
      {mine.length === 0 && <p>Su cuenta no ocupa el asiento del órgano garante en ningún secretariado.</p>}
      {mine.map((s) => (
        <SecretariatMonth key={`${s.id}-${month}`} id={s.id} name={s.name} month={month} />
      ))}
    </Page>
  );
}

function SecretariatMonth({ id, name, month }: { id: number; name: string; month: string }) {
  const [actas, setActas] = useState<Acta[] | null>(null);
  const [deliveries, setDeliveries] = useState<Schemas['MonthlyDeliveries'] | null>(null);
  const [packages, setPackages] = useState<Schemas['PackageList'] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    const path = { secretariat_id: id };
    Promise.all([
      ok(api.GET('/api/secretariats/{secretariat_id}/actas', { params: { path } })),
      ok(api.GET('/api/secretariats/{secretariat_id}/deliveries', { params: { path, query: { month } } })),
      ok(api.GET('/api/secretariats/{secretariat_id}/packages', { params: { path, query: { month } } })),
    ])
      .then(([a, d, p]) => {
        setActas(a.actas.filter((x) => x.acta_date.startsWith(month)));
        setDeliveries(d);
        setPackages(p);
      })
      .catch((e) => setError(messageOf(e)));
  }, [id, month]);
  const headingId = `sec-${id}`;
  return (
    <section aria-labelledby={headingId} class="card">
      <h2 id={headingId}>
        {name}: {monthEs(month)}
      </h2>
      {error && <Alert tone="error">{error}</Alert>}
      {!error && (!actas || !deliveries) && <Loading what="el mes" />}
      {actas && actas.length === 0 && <p>No hay actas con fecha de este mes.</p>}
      {actas?.map((a) => <ActaSeats key={a.id} acta={a} />)}
      {deliveries && (
        <>
          <h3>Entregas al órgano garante</h3>
          {deliveries.obligations.length === 0 && <p>No hay entregas que vencen este mes.</p>}
          {deliveries.obligations.length > 0 && (
            <ul class="plain" aria-label={`Entregas de ${monthEs(month)}`}>
              {deliveries.obligations.map((o, i) => (
                <li key={i}>
                  <span class="task-title">{o.title}</span>{' '}
                  <Badge tone={o.status === 'delivered_on_time' ? 'ok' : o.status === 'pending' ? 'pending' : 'bad'}>
                    {OBLIGATION_STATUS[o.status] ?? o.status}
                  </Badge>
                  <div class="meta">
                    Vence el {dateEs(o.due_on)}
                    {o.agency && <> · {o.agency}</>}
                  </div>
                  {o.explanation_es && <p>{o.explanation_es}</p>}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {packages && <MonthPackages list={packages} month={month} />}
    </section>
  );
}

const PACKAGE_STATE: Record<string, [string, 'ok' | 'bad' | 'pending']> = {
  awaiting_cosignature: ['En espera de la cofirma desde su dispositivo', 'pending'],
  built: ['Generado; sin respuesta del órgano garante', 'pending'],
  sent: ['Enviado por correo; el correo no devuelve acuse en línea', 'pending'],
  delivered: ['Recibido por el órgano garante', 'ok'],
  refused: ['Rechazado por el órgano garante', 'bad'],
};

const TIMELINESS: Record<string, [string, 'ok' | 'bad' | 'neutral']> = {
  on_time: ['A tiempo', 'ok'],
  late: ['Con atraso', 'bad'],
  due: ['En plazo', 'neutral'],
};

// The month's signed packages (GET .../packages): state, on time or late against the
// month's last day, the agency's reasons when it refused, and its signed answer.
function MonthPackages({ list, month }: { list: Schemas['PackageList']; month: string }) {
  return (
    <>
      <h3>Paquetes mensuales y acuses</h3>
      {list.packages.length === 0 && <p>Aún no se genera el paquete de {monthEs(month)} (vence el {dateEs(list.due_on)}).</p>}
      {list.packages.length > 0 && (
        <ul class="plain" aria-label={`Paquetes de ${monthEs(month)}`}>
          {list.packages.map((p) => {
            const [state, stateTone] = PACKAGE_STATE[p.state] ?? [p.state, 'pending'];
            const [when, whenTone] = TIMELINESS[p.timeliness] ?? [p.timeliness, 'neutral'];
            return (
              <li key={p.sha256}>
                <span class="task-title">{p.file_name}</span> <Badge tone={stateTone}>{state}</Badge> <Badge tone={whenTone}>{when}</Badge>
                <div class="meta">
                  Generado el {timeEs(p.built_at)} · {p.acta_ids.length === 1 ? '1 acta' : `${p.acta_ids.length} actas`} · vence el {dateEs(list.due_on)}
                  {p.answered_at && <> · respuesta del {timeEs(p.answered_at)}</>}
                  {p.supersedes && <> · sustituye a un paquete anterior</>}
                </div>
                <p class="meta break">
                  SHA-256: <span class="code">{p.sha256}</span>
                </p>
                {p.refusals.length > 0 && (
                  <>
                    <p>Motivos del rechazo:</p>
                    <ul>
                      {p.refusals.map((r, i) => (
                        <li key={i}>
                          {r.message_es || r.code}
                          {r.file && <span class="meta"> ({r.file})</span>}
                        </li>
                      ))}
                    </ul>
                  </>
                )}
                {p.answer && (
                  <a href={p.answer} download>
                    {p.state === 'refused' ? 'Descargar el rechazo firmado (XML)' : 'Descargar el acuse de recibo (XML)'}
                    <span class="sr-only"> de {p.file_name}</span>
                  </a>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}

function ActaSeats({ acta }: { acta: Acta }) {
  const round = acta.approvals.filter((p) => !p.superseded).at(-1)?.round ?? 0;
  const dates = new Set(acta.signatures.filter((s) => s.round === round).map((s) => s.local_date));
  const sealed = acta.state === 'archived' || acta.state === 'delivered';
  return (
    <div class="acta-seats">
      <h3>
        <a href={`/actas/${acta.id}`}>{acta.title}</a>
      </h3>
      <p class="meta">
        {dateEs(acta.acta_date)} · {ACTA_STATE[acta.state] ?? acta.state}
      </p>
      <p>
        {acta.complete && sealed ? (
          <Badge tone="ok">Completa y sellada</Badge>
        ) : acta.complete ? (
          <Badge tone="pending">Firmas completas, falta sellar</Badge>
        ) : (
          <Badge tone="bad">Incompleta</Badge>
        )}{' '}
        {dates.size <= 1 ? (
          <Badge tone={dates.size === 1 ? 'ok' : 'neutral'}>{dates.size === 1 ? 'Todas las firmas en la misma fecha' : 'Sin firmas aún'}</Badge>
        ) : (
          <Badge tone="bad">Firmas en fechas distintas</Badge>
        )}
      </p>
      <SignersTable acta={acta} caption={`Firmas de «${acta.title}», asiento por asiento`} />
    </div>
  );
}
