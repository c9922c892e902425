// "/folio?folio=": anyone looks up a question, complaint, suggestion or request to take part
// by its tracking folio: its status and the secretariat's answer (never the name or contact).
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf, ok, type Schemas } from '../api/client';
import { navigate, useLocation } from '../router';
import { Alert, Badge, Page } from '../ui/components';
import { SUBMISSION_KIND, SUBMISSION_STATUS, timeEs } from '../ui/format';

export function Folio() {
  const url = useLocation();
  const asked = url.searchParams.get('folio') ?? '';
  const [folio, setFolio] = useState(asked);
  const [found, setFound] = useState<Schemas['SubmissionStatus'] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    setFound(null);
    setError('');
    if (!asked) return;
    ok(api.GET('/api/submissions/{folio}', { params: { path: { folio: asked.trim() } } }))
      .then(setFound)
      .catch((e) => setError(messageOf(e)));
  }, [asked]);
  return (
    <Page title="Consultar un folio">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          navigate(`/folio?folio=${encodeURIComponent(folio.trim())}`);
        }}
      >
        <div class="field">
          <label for="folio">Folio de seguimiento</label>
          <input id="folio" type="text" autocomplete="off" spellcheck={false} value={folio} aria-describedby="folio-hint" onInput={(e) => setFolio(e.currentTarget.value)} />
          <p class="hint" id="folio-hint">
            Como aparece al enviar su mensaje, por ejemplo QUE-000012-7K3M9QXP.
          </p>
        </div>
        <div class="actions">
          <button type="submit">Consultar</button>
        </div>
      </form>
      {error && <Alert tone="error">{error}</Alert>}
      {found && (
        <section aria-labelledby="found-title" class="card">
          <h2 id="found-title">
            {SUBMISSION_KIND[found.kind] ?? found.kind} {found.folio}
          </h2>
          <p>
            <Badge tone={found.status === 'answered' ? 'ok' : 'pending'}>{SUBMISSION_STATUS[found.status] ?? found.status}</Badge>
          </p>
          <p class="meta">
            Enviada a {found.secretariat_name} el {timeEs(found.filed_at)}.
          </p>
          <h3>Su mensaje</h3>
          <p class="pre">{found.text}</p>
          <h3>Respuesta del secretariado</h3>
          {found.answer ? (
            <>
              <p class="pre">{found.answer}</p>
              <p class="meta">Respondida el {timeEs(found.answered_at)}.</p>
            </>
          ) : (
            <p>Aún no hay respuesta.</p>
          )}
        </section>
      )}
    </Page>
  );
}
