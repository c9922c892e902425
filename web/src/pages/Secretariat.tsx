// "/secretariados/<id>": a secretariat's public microsite, the seven sections of the seeds'
// lineamiento III.12 on one page with a table of contents: a) actas (each with its PDF and
// its verification report), evidence and communiqués; b) commitments' progress and the
// agenda of sessions; c) contact; d) open data; e) links; f) questions, complaints and
// suggestions; g) taking part. No account needed.
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf, ok, type Acta, type Schemas } from '../api/client';
import { Alert, Badge, Loading, Page } from '../ui/components';
import { ACTA_KIND, dateEs, ITEM_KIND, SECRETARIAT_KIND, SESSION_KIND, SESSION_STATUS, timeEs } from '../ui/format';

const SECTIONS: [string, string][] = [
  ['actas', 'Actas, evidencias y comunicados'],
  ['plan', 'Avance de compromisos y agenda'],
  ['contacto', 'Contacto'],
  ['datos', 'Datos abiertos'],
  ['enlaces', 'Enlaces'],
  ['buzon', 'Preguntas, quejas y sugerencias'],
  ['participar', 'Participar'],
];

export const DATASETS: [string, string][] = [
  ['sessions', 'Sesiones'],
  ['attendance', 'Asistencia'],
  ['votes', 'Votaciones'],
  ['agreements', 'Acuerdos'],
  ['commitments', 'Compromisos del plan de acción'],
];

/** The link to an archived acta's verification report (the page its QR code points to). */
function verificationLink(a: Acta): string | null {
  const approval = a.approvals.filter((p) => !p.superseded).at(-1);
  if (!a.folio || !approval?.content_sha256) return null;
  return `/verificar/${encodeURIComponent(a.folio)}?sha256=${approval.content_sha256}`;
}

export function Secretariat({ params }: { params: Record<string, string> }) {
  const id = Number(params.secretariat_id);
  const [s, setS] = useState<Schemas['Secretariat'] | null>(null);
  const [actas, setActas] = useState<Acta[] | null>(null);
  const [site, setSite] = useState<Schemas['Microsite'] | null>(null);
  const [plans, setPlans] = useState<Schemas['Plan'][] | null>(null);
  const [sessions, setSessions] = useState<Schemas['Session'][] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    const path = { params: { path: { secretariat_id: id } } };
    Promise.all([
      ok(api.GET('/api/secretariats/{secretariat_id}', path)),
      ok(api.GET('/api/secretariats/{secretariat_id}/actas', path)),
      ok(api.GET('/api/secretariats/{secretariat_id}/microsite', path)),
      ok(api.GET('/api/secretariats/{secretariat_id}/plans', path)),
      ok(api.GET('/api/secretariats/{secretariat_id}/sessions', path)),
    ])
      .then(([sec, list, micro, pl, ss]) => {
        setS(sec);
        setActas(list.actas.filter((a) => a.state === 'archived' || a.state === 'delivered'));
        setSite(micro);
        setPlans(pl.plans);
        setSessions(ss.sessions);
      })
      .catch((e) => setError(messageOf(e)));
  }, [id]);
  if (error) {
    return (
      <Page title="Secretariado">
        <Alert tone="error">{error}</Alert>
      </Page>
    );
  }
  if (!s || !actas || !site || !plans || !sessions) return <Loading what="el micrositio del secretariado" />;
  const evidence = site.items.filter((i) => i.kind !== 'communique');
  const communiques = site.items.filter((i) => i.kind === 'communique');
  const today = new Date().toISOString().slice(0, 10);
  const upcoming = sessions.filter((x) => x.session_date >= today && x.status === 'convened');
  const past = sessions.filter((x) => !upcoming.includes(x)).reverse();
  return (
    <Page title={s.name}>
      <p class="meta">
        {SECRETARIAT_KIND[s.kind] ?? s.kind} · {s.place}
      </p>
      <nav aria-labelledby="toc-title" class="card">
        <h2 id="toc-title" class="toc-title">
          En este micrositio
        </h2>
        <ol class="toc">
          {SECTIONS.map(([anchor, title]) => (
            <li key={anchor}>
              <a href={`#${anchor}`}>{title}</a>
            </li>
          ))}
        </ol>
      </nav>

      <section aria-labelledby="actas">
        <h2 id="actas">Actas, evidencias y comunicados</h2>
        <h3>Actas archivadas</h3>
        {actas.length === 0 && <p>Aún no hay actas archivadas.</p>}
        {actas.length > 0 && (
          <ul class="plain" aria-label="Actas archivadas">
            {actas.map((a) => {
              const report = verificationLink(a);
              return (
                <li key={a.id}>
                  <a class="task-title" href={`/actas/${a.id}`}>
                    {a.title}
                  </a>
                  <div class="meta">
                    {ACTA_KIND[a.kind] ?? a.kind} · {dateEs(a.acta_date)}
                    {a.folio && <> · folio {a.folio}</>}
                  </div>
                  <div class="actions compact">
                    <a href={`/api/actas/${a.id}/pdf`} download={`acta-${a.id}.pdf`}>
                      Descargar el PDF<span class="sr-only"> de «{a.title}»</span>
                    </a>
                    {report && (
                      <a href={report}>
                        Ver el informe de verificación<span class="sr-only"> de «{a.title}»</span>
                      </a>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        )}
        <p>
          Para comprobar un acta descargada, súbala en <a href="/verificar">Verificar un acta</a>.
        </p>
        <h3>Evidencias</h3>
        <Items items={evidence} empty="Aún no hay fotografías, videos ni audios publicados." />
        <h3>Comunicados</h3>
        <Items items={communiques} empty="Aún no hay comunicados publicados." />
      </section>

      <section aria-labelledby="plan">
        <h2 id="plan">Avance de compromisos y agenda</h2>
        <h3>Compromisos del plan de acción</h3>
        {plans.length === 0 && <p>Aún no hay un plan de acción registrado.</p>}
        {plans.map((p) => (
          <div key={p.id} class="card">
            <h4>{p.title}</h4>
            <ul class="plain">
              {p.commitments.map((c) => (
                <li key={c.id}>
                  <div class="task-title">{c.title}</div>
                  <Progress value={c.progress} label={`Avance de «${c.title}»`} />
                  {c.activities.length > 0 && (
                    <ul>
                      {c.activities.map((a) => (
                        <li key={a.id}>
                          {a.title}: {a.progress} % (fecha compromiso: {dateEs(a.due_on)})
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
          </div>
        ))}
        <h3>Agenda de sesiones</h3>
        {upcoming.length === 0 && <p>No hay sesiones convocadas por ahora.</p>}
        {upcoming.length > 0 && (
          <ul class="plain" aria-label="Próximas sesiones">
            {upcoming.map((x) => (
              <li key={x.id}>
                <span class="task-title">Sesión {SESSION_KIND[x.kind] ?? x.kind}</span>: {timeEs(x.starts_at)}, {x.place}
              </li>
            ))}
          </ul>
        )}
        {past.length > 0 && (
          <>
            <h4>Sesiones anteriores</h4>
            <ul class="plain" aria-label="Sesiones anteriores">
              {past.map((x) => (
                <li key={x.id}>
                  Sesión {SESSION_KIND[x.kind] ?? x.kind} del {dateEs(x.session_date)} · {SESSION_STATUS[x.status] ?? x.status}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="contacto">
        <h2 id="contacto">Contacto</h2>
        {!site.contact.email && !site.contact.phone && !site.contact.address && <p>El secretariado aún no publica sus datos de contacto.</p>}
        <dl class="contact">
          {site.contact.email && (
            <>
              <dt>Correo electrónico</dt>
              <dd>
                <a href={`mailto:${site.contact.email}`}>{site.contact.email}</a>
              </dd>
            </>
          )}
          {site.contact.phone && (
            <>
              <dt>Teléfono</dt>
              <dd>{site.contact.phone}</dd>
            </>
          )}
          {site.contact.address && (
            <>
              <dt>Domicilio</dt>
              <dd>{site.contact.address}</dd>
            </>
          )}
          {site.contact.hours && (
            <>
              <dt>Horario de atención</dt>
              <dd>{site.contact.hours}</dd>
            </>
          )}
        </dl>
      </section>

      <section aria-labelledby="datos">
        <h2 id="datos">Datos abiertos</h2>
        <p>
          Descargue los datos del secretariado en CSV (para hojas de cálculo) o JSON. Se publican bajo la licencia{' '}
          <a href="https://creativecommons.org/licenses/by/4.0/deed.es" rel="license">
            Creative Commons Atribución 4.0 Internacional (CC BY 4.0)
          </a>
          : puede usarlos y redistribuirlos citando la fuente. Consulte el <a href="/datos-abiertos">diccionario de datos</a>.
        </p>
        <div class="table-wrap">
          <table>
            <caption class="sr-only">Conjuntos de datos abiertos</caption>
            <thead>
              <tr>
                <th scope="col">Conjunto</th>
                <th scope="col">Descargas</th>
              </tr>
            </thead>
            <tbody>
              {DATASETS.map(([name, title]) => (
                <tr key={name}>
                  <th scope="row">{title}</th>
                  <td>
                    <a href={`/api/secretariats/${id}/open-data/${name}/csv`} download={`secretariado-${id}-${name}.csv`}>
                      CSV<span class="sr-only"> de {title}</span>
                    </a>{' '}
                    ·{' '}
                    <a href={`/api/secretariats/${id}/open-data/${name}`} download={`secretariado-${id}-${name}.json`}>
                      JSON<span class="sr-only"> de {title}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="enlaces">
        <h2 id="enlaces">Enlaces</h2>
        {site.links.length === 0 && <p>Aún no hay enlaces publicados.</p>}
        {site.links.length > 0 && (
          <ul>
            {site.links.map((l) => (
              <li key={l.url}>
                <a href={l.url} rel="noopener noreferrer" target="_blank">
                  {l.title}
                  <span class="sr-only"> (se abre en otra pestaña)</span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="buzon">
        <h2 id="buzon">Preguntas, quejas y sugerencias</h2>
        <p>
          Envíe su pregunta, queja o sugerencia sin crear una cuenta. Recibirá un folio para consultar después la respuesta del
          secretariado.
        </p>
        <div class="actions">
          <a class="button" href={`/secretariados/${id}/buzon`}>
            Escribir al secretariado
          </a>
          <a class="button secondary" href="/folio">
            Consultar un folio
          </a>
        </div>
      </section>

      <section aria-labelledby="participar">
        <h2 id="participar">Participar</h2>
        <p>¿Quiere participar en el secretariado o en sus mesas de trabajo? Envíe su solicitud y la facilitación le contactará.</p>
        <a class="button secondary" href={`/secretariados/${id}/participar`}>
          Solicitar participar
        </a>
      </section>
    </Page>
  );
}

function Progress({ value, label }: { value: number; label: string }) {
  return (
    <div class="progress-row">
      <progress max={100} value={value} aria-label={label} />
      <span>{value} %</span>
    </div>
  );
}

function Items({ items, empty }: { items: Schemas['MicrositeItem'][]; empty: string }) {
  if (items.length === 0) return <p>{empty}</p>;
  return (
    <ul class="plain">
      {items.map((i) => (
        <li key={i.id}>
          <span class="task-title">{i.title}</span>{' '}
          <Badge tone="neutral">{ITEM_KIND[i.kind] ?? i.kind}</Badge>
          <div class="meta">{dateEs(i.published_on)}</div>
          {i.description && <p>{i.description}</p>}
          {i.kind === 'photo' && i.file_url && <img class="evidence" src={i.file_url} alt={i.title} loading="lazy" />}
          {i.file_url ? (
            <a href={i.file_url} download>
              Descargar el archivo<span class="sr-only"> «{i.title}»</span>
            </a>
          ) : (
            <a href={i.url} rel="noopener noreferrer" target="_blank">
              Abrir el enlace<span class="sr-only"> «{i.title}» (se abre en otra pestaña)</span>
            </a>
          )}
        </li>
      ))}
    </ul>
  );
}
