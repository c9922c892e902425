// "/verificar": anyone uploads a PDF (no account) and reads the verifier's report in
// Spanish. The file is checked in the service's sandbox and not stored; the service limits
// how often an address may ask.
import { useState } from 'preact/hooks';
import { toApiError, type Schemas, type VerifyReport } from '../api/client';
import { Alert, Badge, Page } from '../ui/components';
import { bytesEs, dateEs, timeEs } from '../ui/format';

const KIND: Record<string, string> = {
  certification: 'Certificación de la versión aprobada',
  rubric: 'Rúbrica',
  foot: 'Firma al calce',
  document_timestamp: 'Sello de tiempo del archivo',
  other: 'Otra firma',
};
const INDICATION: Record<string, { text: string; tone: 'ok' | 'bad' | 'pending' }> = {
  'TOTAL-PASSED': { text: 'Válida', tone: 'ok' },
  'TOTAL-FAILED': { text: 'No válida', tone: 'bad' },
  INDETERMINATE: { text: 'Indeterminada', tone: 'pending' },
};
const PART: Record<string, { text: string; tone: 'ok' | 'bad' | 'pending' }> = {
  valid: { text: 'Válida', tone: 'ok' },
  missing: { text: 'Falta', tone: 'pending' },
  invalid: { text: 'No válida', tone: 'bad' },
};
const STATUS_TONE: Record<string, 'ok' | 'error' | 'warn'> = {
  valid_and_complete: 'ok',
  invalid: 'error',
  incomplete: 'warn',
  not_processed: 'error',
};

export function Verify() {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [result, setResult] = useState<Schemas['Verification'] | null>(null);
  return (
    <Page title="Verificar un acta">
      <p>
        Suba un acta en PDF para saber si sus firmas son válidas, si está completa y si cambió después de aprobarse. No necesita
        cuenta; el archivo no se guarda.
      </p>
      <form
        class="card"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!file) return setError('Elija un archivo PDF.');
          setBusy(true);
          setError('');
          setResult(null);
          try {
            const r = await fetch('/api/verify', {
              method: 'POST',
              headers: { 'Content-Type': 'application/pdf' },
              body: file,
              credentials: 'omit',
            });
            const body = await r.json().catch(() => undefined);
            if (!r.ok) throw toApiError(r.status, body);
            setResult(body as Schemas['Verification']);
          } catch (err) {
            setError(err instanceof Error ? err.message : 'No se pudo verificar el archivo.');
          } finally {
            setBusy(false);
          }
        }}
      >
        {error && <Alert tone="error">{error}</Alert>}
        <div class="field">
          <label for="pdf">Acta en PDF</label>
          <input id="pdf" type="file" accept="application/pdf,.pdf" required onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Verificando…' : 'Verificar'}
        </button>
        {busy && (
          <p role="status" class="meta">
            Revisando el archivo; puede tardar unos segundos.
          </p>
        )}
      </form>
      {result && typeof result.report === 'string' && (
        <Alert tone="error">
          <p>No se pudo procesar el archivo.</p>
          <p class="code break">{result.report}</p>
        </Alert>
      )}
      {result && typeof result.report !== 'string' && <Report report={result.report} />}
    </Page>
  );
}

function Report({ report }: { report: VerifyReport }) {
  const c = report.completeness;
  return (
    <section aria-labelledby="report-title">
      <h2 id="report-title">Resultado</h2>
      <Alert tone={STATUS_TONE[report.result.status] ?? 'warn'}>
        <p class="report-verdict">{report.result.verdict_es}</p>
      </Alert>
      <div class="card">
        <dl class="facts">
          {c?.acta?.title && (
            <>
              <dt>Acta</dt>
              <dd>{c.acta.title}</dd>
            </>
          )}
          {c?.acta?.secretariat && (
            <>
              <dt>Secretariado</dt>
              <dd>{c.acta.secretariat}</dd>
            </>
          )}
          {c?.acta?.approved_on && (
            <>
              <dt>Aprobada el</dt>
              <dd>{dateEs(c.acta.approved_on)}</dd>
            </>
          )}
          {c?.assessed && (
            <>
              <dt>Firmas</dt>
              <dd>{c.complete ? 'Completas' : `Incompletas${c.missing?.length ? `: faltan ${c.missing.join(', ')}` : ''}`}</dd>
              <dt>Misma fecha</dt>
              <dd>{c.same_date ? 'Sí, todas el día de la aprobación' : 'No'}</dd>
              <dt>Sellada para el archivo</dt>
              <dd>{c.archived ? `Sí${c.archived_at ? `, ${timeEs(c.archived_at)}` : ''}` : 'No'}</dd>
            </>
          )}
          {report.changes && (
            <>
              <dt>Cambios después de aprobarse</dt>
              <dd>{report.changes.all_allowed ? 'Ninguno que no esté permitido' : 'Sí: hay cambios no permitidos (ver detalles)'}</dd>
            </>
          )}
          {report.file && (
            <>
              <dt>Archivo</dt>
              <dd>
                {bytesEs(report.file.size)}, {report.file.revisions} revisiones · SHA-256 <span class="code">{report.file.sha256}</span>
              </dd>
            </>
          )}
        </dl>
      </div>
      {c?.signers && c.signers.length > 0 && (
        <>
          <h3>Integrantes que firman</h3>
          <div class="table-wrap">
            <table class="stack">
              <thead>
                <tr>
                  <th scope="col">Integrante</th>
                  <th scope="col">Rúbrica</th>
                  <th scope="col">Firma al calce</th>
                </tr>
              </thead>
              <tbody>
                {c.signers.map((s, i) => (
                  <tr key={i}>
                    <td data-label="Integrante">
                      {s.name}
                      {s.seat && <div class="meta">{s.seat}</div>}
                    </td>
                    <td data-label="Rúbrica">
                      <Part value={s.rubric} date={s.rubric_date} />
                    </td>
                    <td data-label="Firma al calce">
                      <Part value={s.foot} date={s.foot_date} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {report.signatures && report.signatures.length > 0 && (
        <>
          <h3>Firmas del documento</h3>
          <ul class="plain">
            {report.signatures.map((s) => {
              const ind = INDICATION[s.indication] ?? { text: s.indication, tone: 'pending' as const };
              return (
                <li key={s.field + s.revision}>
                  <div class="task-title">
                    {KIND[s.kind] ?? s.kind}
                    {s.signer?.name && <>: {s.signer.name}</>} <Badge tone={ind.tone}>{ind.text}</Badge>
                  </div>
                  <div class="meta">
                    {s.time?.utc && <>Fecha cierta: {timeEs(s.time.utc)} · </>}Revisión {s.revision}
                  </div>
                  {((s.errors?.length ?? 0) > 0 || (s.warnings?.length ?? 0) > 0) && (
                    <details>
                      <summary>Detalles técnicos (en inglés)</summary>
                      <ul>
                        {[...(s.errors ?? []), ...(s.warnings ?? [])].map((m, i) => (
                          <li key={i} class="code break">
                            {m}
                          </li>
                        ))}
                      </ul>
                    </details>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
      {report.changes && !report.changes.all_allowed && (
        <details>
          <summary>Cambios no permitidos (detalles técnicos, en inglés)</summary>
          <ul>
            {report.changes.items
              .filter((i) => !i.allowed)
              .map((i, n) => (
                <li key={n} class="code break">
                  Revisión {i.revision}: {i.message}
                </li>
              ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function Part({ value, date }: { value?: string; date?: string | null }) {
  const p = PART[value ?? ''] ?? { text: value ?? '', tone: 'pending' as const };
  return (
    <>
      <Badge tone={p.tone}>{p.text}</Badge>
      {date && <div class="meta">{dateEs(date)}</div>}
    </>
  );
}
