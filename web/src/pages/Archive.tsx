// "/archivo": the archivist's search (GET /api/archive: every caller finds the actas visible
// to them; an archivist's grant opens its secretariats' archive, the public sees archived
// actas). Search by secretariat, date range, session, kind, signer (name, RFC or CURP) and
// words of the title; the hits a page at a time, each with its state, the SHA-256 of the
// sealed PDF and the downloads that exist for it: the sealed PDF, each certified revision,
// the certified copy (ZIP) and the agency's receipt once delivered.
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf, ok, type Schemas } from '../api/client';
import { Alert, Badge, Loading, Page } from '../ui/components';
import { ACTA_KIND, ACTA_STATE, CAPACITY, dateEs, SESSION_KIND, timeEs } from '../ui/format';

type Hit = Schemas['ArchiveHit'];

interface Query {
  secretariat_id: string;
  session_id: string;
  kind: string;
  from: string;
  to: string;
  signer: string;
  q: string;
}

const EMPTY: Query = { secretariat_id: '', session_id: '', kind: '', from: '', to: '', signer: '', q: '' };
const PAGE = 10;

/** What a revision file is, in words. */
function revisionLabel(r: Schemas['ArchiveRevisionLink'], hit: Hit): string {
  const who = hit.signers.find((s) => s.person_id === r.person_id)?.full_name;
  switch (r.what) {
    case 'certified':
      return `Versión certificada para firmar (ronda ${r.round})`;
    case 'rubric':
      return `Tras la rúbrica${who ? ` de ${who}` : ''} (ronda ${r.round})`;
    case 'foot':
      return `Tras la firma al calce${who ? ` de ${who}` : ''} (ronda ${r.round})`;
    case 'archived':
      return `Sellada para el archivo (ronda ${r.round})`;
    default:
      return `${r.what} (ronda ${r.round})`;
  }
}

export function Archive() {
  const [secretariats, setSecretariats] = useState<Schemas['Secretariat'][]>([]);
  const [sessions, setSessions] = useState<Schemas['Session'][]>([]);
  const [query, setQuery] = useState<Query>(EMPTY);
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [asked, setAsked] = useState<Query>(EMPTY);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    ok(api.GET('/api/secretariats'))
      .then((r) => setSecretariats(r.secretariats))
      .catch((e) => setError(messageOf(e)));
  }, []);
  useEffect(() => {
    setSessions([]);
    if (!query.secretariat_id) return;
    ok(api.GET('/api/secretariats/{secretariat_id}/sessions', { params: { path: { secretariat_id: Number(query.secretariat_id) } } }))
      .then((r) => setSessions(r.sessions))
      .catch((e) => setError(messageOf(e)));
  }, [query.secretariat_id]);

  async function search(q: Query, after: string | null) {
    setBusy(true);
    setError('');
    try {
      const page = await ok(
        api.GET('/api/archive', {
          params: {
            query: {
              secretariat_id: q.secretariat_id ? Number(q.secretariat_id) : undefined,
              session_id: q.session_id ? Number(q.session_id) : undefined,
              kind: (q.kind || undefined) as Hit['kind'] | undefined,
              from: q.from || undefined,
              to: q.to || undefined,
              signer: q.signer.trim() || undefined,
              q: q.q.trim() || undefined,
              limit: PAGE,
              cursor: after ?? undefined,
            },
          },
        }),
      );
      setHits(after ? [...(hits ?? []), ...page.actas] : page.actas);
      setCursor(page.next_cursor);
      setAsked(q);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  function submit(e: Event) {
    e.preventDefault();
    if (query.from && query.to && query.from > query.to) {
      setError('La fecha inicial debe ser anterior o igual a la fecha final.');
      return;
    }
    void search(query, null);
  }

  const set = (k: keyof Query) => (e: { currentTarget: { value: string } }) => setQuery({ ...query, [k]: e.currentTarget.value });
  const nameOf = (id: number) => secretariats.find((s) => s.id === id)?.name ?? `Secretariado ${id}`;

  return (
    <Page title="Archivo de actas">
      <p>
        Busque las actas que su cuenta puede consultar: sin sesión, las archivadas de todos los secretariados; con la cuenta de archivo,
        las de sus secretariados. Descargue el PDF sellado, cada revisión, la copia certificada y el acuse de entrega.
      </p>
      <form class="card" onSubmit={submit} aria-labelledby="archive-search">
        <h2 id="archive-search">Buscar</h2>
        <div class="grid2">
          <div class="field">
            <label for="a-secretariat">Secretariado</label>
            <select id="a-secretariat" value={query.secretariat_id} onChange={(e) => setQuery({ ...query, secretariat_id: e.currentTarget.value, session_id: '' })}>
              <option value="">Todos</option>
              {secretariats.map((s) => (
                <option key={s.id} value={String(s.id)}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="a-session">Sesión</label>
            <select id="a-session" value={query.session_id} onChange={set('session_id')} disabled={!query.secretariat_id} aria-describedby="a-session-hint">
              <option value="">Todas</option>
              {sessions.map((s) => (
                <option key={s.id} value={String(s.id)}>
                  Sesión {SESSION_KIND[s.kind] ?? s.kind} del {dateEs(s.session_date)}
                </option>
              ))}
            </select>
            <p class="hint" id="a-session-hint">
              Elija primero un secretariado.
            </p>
          </div>
          <div class="field">
            <label for="a-kind">Tipo de acta</label>
            <select id="a-kind" value={query.kind} onChange={set('kind')}>
              <option value="">Todos</option>
              <option value="installation">Acta de instalación</option>
              <option value="session_minute">Acta de sesión</option>
            </select>
          </div>
          <div class="field">
            <label for="a-q">Palabra del título</label>
            <input id="a-q" type="text" maxLength={200} value={query.q} onInput={set('q')} />
          </div>
          <div class="field">
            <label for="a-from">Desde (fecha del acta)</label>
            <input id="a-from" type="date" value={query.from} onInput={set('from')} />
          </div>
          <div class="field">
            <label for="a-to">Hasta (fecha del acta)</label>
            <input id="a-to" type="date" value={query.to} onInput={set('to')} />
          </div>
          <div class="field">
            <label for="a-signer">Persona firmante</label>
            <input id="a-signer" type="text" maxLength={200} value={query.signer} onInput={set('signer')} aria-describedby="a-signer-hint" />
            <p class="hint" id="a-signer-hint">
              Nombre, RFC o CURP.
            </p>
          </div>
        </div>
        <div class="actions">
          <button type="submit" disabled={busy}>
            Buscar actas
          </button>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setQuery(EMPTY);
              setHits(null);
              setCursor(null);
              setError('');
            }}
          >
            Limpiar
          </button>
        </div>
      </form>
      {error && <Alert tone="error">{error}</Alert>}
      {busy && !hits && <Loading what="los resultados" />}
      {hits && (
        <section aria-labelledby="archive-results">
          <h2 id="archive-results">Resultados</h2>
          <p role="status">
            {hits.length === 0
              ? 'Ninguna acta coincide con la búsqueda.'
              : `${hits.length === 1 ? 'Se muestra 1 acta' : `Se muestran ${hits.length} actas`}${cursor ? '; hay más.' : '.'}`}
          </p>
          <ol class="plain">
            {hits.map((h) => (
              <ArchiveHit key={h.id} hit={h} secretariat={nameOf(h.secretariat_id)} />
            ))}
          </ol>
          {cursor && (
            <button type="button" class="secondary" disabled={busy} onClick={() => search(asked, cursor)}>
              Ver más resultados
            </button>
          )}
        </section>
      )}
    </Page>
  );
}

function ArchiveHit({ hit, secretariat }: { hit: Hit; secretariat: string }) {
  const titleId = `hit-${hit.id}`;
  const sealed = hit.state === 'archived' || hit.state === 'delivered';
  return (
    <li class="hit">
      <h3 id={titleId} class="task-title">
        <a href={`/actas/${hit.id}`}>{hit.title}</a>
      </h3>
      <p class="meta">
        {hit.folio && <>Folio {hit.folio} · </>}
        {ACTA_KIND[hit.kind] ?? hit.kind} · {dateEs(hit.acta_date)} · {secretariat}
      </p>
      <p>
        <Badge tone={sealed ? 'ok' : 'pending'}>{ACTA_STATE[hit.state] ?? hit.state_es}</Badge>
        {hit.delivered_at && <span class="meta"> Entregada al órgano garante el {timeEs(hit.delivered_at)}.</span>}
      </p>
      {hit.signers.length > 0 && (
        <p class="meta">
          Firmantes: {hit.signers.map((s) => `${s.full_name} (${(CAPACITY[s.capacity] ?? s.capacity).toLowerCase()})`).join(', ')}
        </p>
      )}
      {hit.sealed_sha256 && (
        <p class="meta break">
          SHA-256 del PDF sellado: <span class="code">{hit.sealed_sha256}</span>
        </p>
      )}
      <ul class="downloads" aria-label={`Descargas de «${hit.title}»`}>
        <li>
          <a href={hit.links.pdf} download>
            {sealed ? 'PDF sellado' : 'PDF del acta (aún no sellada)'}
          </a>
        </li>
        {hit.links.certified_copy && (
          <li>
            <a href={hit.links.certified_copy} download>
              Copia certificada (ZIP)
            </a>
          </li>
        )}
        {hit.links.receipt && (
          <li>
            <a href={hit.links.receipt} download>
              Acuse de entrega
            </a>
          </li>
        )}
      </ul>
      {hit.links.revision_files.length > 0 && (
        <details>
          <summary>Revisiones del PDF ({hit.links.revision_files.length})</summary>
          <ul>
            {hit.links.revision_files.map((r) => (
              <li key={r.sha256}>
                <a href={r.href} download>
                  {revisionLabel(r, hit)}
                </a>{' '}
                <span class="code break">SHA-256 {r.sha256}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </li>
  );
}
