// "/actas/<id>": the acta, its signers and their progress, the PDF page by page; in
// review its text and the members' comments; for a required signer, the rubric (after
// going through every page) and the foot signature.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, messageOf, ok, type Acta, type Credential, type Schemas } from '../api/client';
import type { PdfViewer as PdfViewerType } from '../pdf/PdfViewer';
import { personId, useSession } from '../session';
import { Alert, Loading, Page } from '../ui/components';
import { SignersTable } from '../ui/SignersTable';
import { ACTA_KIND, ACTA_STATE, dateEs, timeEs } from '../ui/format';
import { LoginForm } from './LoginForm';
import { SigningPanel } from './SigningPanel';

export function ActaPage({ params }: { params: Record<string, string> }) {
  const id = Number(params.acta_id);
  const session = useSession();
  const [acta, setActa] = useState<Acta | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [pdf, setPdf] = useState<Uint8Array | null>(null);
  const [pdfError, setPdfError] = useState('');
  const [credentials, setCredentials] = useState<Credential[] | null>(null);
  const [seen, setSeen] = useState({ seen: 0, total: 0 });
  const [notice, setNotice] = useState('');
  // pdf.js is large: loaded when an acta page opens, not with the application.
  const [PdfViewer, setPdfViewer] = useState<typeof PdfViewerType | null>(null);
  useEffect(() => {
    import('../pdf/PdfViewer').then(
      (m) => setPdfViewer(() => m.PdfViewer),
      () => setPdfError('No se pudo cargar el visor de PDF.'),
    );
  }, []);

  const me = session.status === 'in' ? session.me : null;
  const myId = me ? personId(me) : 0;

  useEffect(() => {
    if (session.status === 'loading') return;
    setError(null);
    ok(api.GET('/api/actas/{acta_id}', { params: { path: { acta_id: id } } }))
      .then(setActa)
      .catch((e) => setError(e instanceof ApiError ? e : new ApiError(0, 'web', messageOf(e))));
  }, [id, session.status]);

  const blob = acta ? acta.archived_blob_id || acta.current_blob_id : '';
  useEffect(() => {
    if (!acta?.has_pdf) return;
    setPdfError('');
    fetch(`/api/actas/${acta.id}/pdf`, { credentials: 'same-origin' })
      .then(async (r) => {
        if (!r.ok) throw new Error();
        setPdf(new Uint8Array(await r.arrayBuffer()));
      })
      .catch(() => setPdfError('No se pudo descargar el PDF del acta.'));
  }, [blob]);

  const signer = acta?.signers.find((s) => s.person_id === myId);
  useEffect(() => {
    if (!signer) return;
    ok(api.GET('/api/me/credentials'))
      .then((r) => setCredentials(r.credentials))
      .catch(() => setCredentials([]));
  }, [signer?.person_id]);

  if (error?.status === 401) {
    return (
      <Page title="Acta">
        <Alert tone="info">Inicie sesión para ver esta acta.</Alert>
        <LoginForm />
      </Page>
    );
  }
  if (error) {
    return (
      <Page title="Acta">
        <Alert tone="error">{error.message}</Alert>
      </Page>
    );
  }
  if (!acta) return <Loading what="el acta" />;

  const approval = acta.approvals.length ? acta.approvals[acta.approvals.length - 1] : null;
  const needsRubric = signer && acta.state === 'rubric' && !signer.rubric_signed;
  const needsFoot = signer && acta.state === 'foot_signature' && !signer.foot_signed;
  const allSeen = seen.total > 0 && seen.seen >= seen.total;

  return (
    <Page title={acta.title}>
      <p class="meta">
        {ACTA_KIND[acta.kind] ?? acta.kind} del {dateEs(acta.acta_date)} · Estado: <strong>{ACTA_STATE[acta.state] ?? acta.state}</strong>
        {approval && <> · Aprobada el {dateEs(approval.approved_on)}</>}
        {acta.complete && <> · Firmas completas</>}
      </p>
      {notice && (
        <Alert tone="ok">
          <p>{notice}</p>
        </Alert>
      )}
      {(needsRubric || needsFoot) && approval && (
        <Alert tone="warn">
          <p>
            Firme hoy: el acta se aprobó el {dateEs(approval.approved_on)} y todas las rúbricas y firmas deben llevar esa fecha.
          </p>
        </Alert>
      )}

      {acta.has_pdf && pdfError && <Alert tone="error">{pdfError}</Alert>}
      {acta.has_pdf && (!pdf || !PdfViewer) && !pdfError && <Loading what="el PDF del acta" />}
      {pdf && PdfViewer && <PdfViewer bytes={pdf} onSeen={(s, t) => setSeen({ seen: s, total: t })} />}
      {acta.has_pdf && (
        <p>
          <a href={`/api/actas/${acta.id}/pdf`} download={`acta-${acta.id}.pdf`}>
            Descargar el PDF del acta
          </a>
        </p>
      )}

      {needsRubric && credentials && (
        <SigningPanel
          acta={acta}
          kind="rubric"
          credentials={credentials}
          ready={allSeen}
          readyHint={`Para rubricar, recorra todas las hojas del acta (ha visto ${seen.seen} de ${seen.total || 'las'} hojas).`}
          onSigned={(a, m) => {
            setActa(a);
            setNotice(m);
          }}
        />
      )}
      {needsFoot && credentials && (
        <SigningPanel
          acta={acta}
          kind="foot"
          credentials={credentials}
          ready={true}
          readyHint=""
          onSigned={(a, m) => {
            setActa(a);
            setNotice(m);
          }}
        />
      )}

      {acta.state === 'review' && me && <Review acta={acta} />}

      <section aria-labelledby="signers-title">
        <h2 id="signers-title">Quiénes firman</h2>
        <SignersTable acta={acta} myId={myId} />
      </section>
    </Page>
  );
}

// The version in review: its text and the members' comments.
function Review({ acta }: { acta: Acta }) {
  const [content, setContent] = useState<Record<string, unknown> | null>(null);
  const [comments, setComments] = useState<Schemas['Comment'][] | null>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const load = () =>
    ok(api.GET('/api/actas/{acta_id}/comments', { params: { path: { acta_id: acta.id } } }))
      .then((r) => setComments(r.comments))
      .catch((e) => setError(messageOf(e)));
  useEffect(() => {
    ok(api.GET('/api/actas/{acta_id}/versions/{version}', { params: { path: { acta_id: acta.id, version: acta.current_version } } }))
      .then((r) => setContent(r.content as Record<string, unknown>))
      .catch((e) => setError(messageOf(e)));
    void load();
  }, [acta.id, acta.current_version]);
  return (
    <section aria-labelledby="review-title">
      <h2 id="review-title">Revisión del borrador (versión {acta.current_version})</h2>
      {error && <Alert tone="error">{error}</Alert>}
      {content && <ContentText content={content} />}
      <h3>Comentarios</h3>
      {!comments && <Loading what="los comentarios" />}
      {comments && comments.length === 0 && <p>Aún no hay comentarios.</p>}
      {comments && comments.length > 0 && (
        <ul class="plain">
          {comments.map((c) => (
            <li key={c.id}>
              <div class="meta">
                Versión {c.version} · {timeEs(c.at)}
              </div>
              <div class="break">{c.text}</div>
            </li>
          ))}
        </ul>
      )}
      <form
        class="card"
        onSubmit={async (e) => {
          e.preventDefault();
          setError('');
          try {
            await ok(api.POST('/api/actas/{acta_id}/comments', { params: { path: { acta_id: acta.id } }, body: { text } }));
            setText('');
            setNotice('Comentario enviado.');
            await load();
          } catch (err) {
            setError(messageOf(err));
          }
        }}
      >
        {notice && <Alert tone="ok">{notice}</Alert>}
        <div class="field">
          <label for="comment">Su comentario sobre esta versión</label>
          <textarea id="comment" required maxLength={16000} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </div>
        <button type="submit">Enviar comentario</button>
      </form>
    </section>
  );
}

// The acta format's text, as plain paragraphs (docs/acta-format.md): every string in it,
// in order, under its section headings.
function ContentText({ content }: { content: Record<string, unknown> }) {
  const lines: { heading: boolean; text: string }[] = [];
  const walk = (v: unknown, key = '') => {
    if (typeof v === 'string') {
      if (v.trim()) lines.push({ heading: key === 'title' || key === 'heading', text: v });
    } else if (Array.isArray(v)) {
      v.forEach((x) => walk(x, key));
    } else if (v && typeof v === 'object') {
      Object.entries(v as Record<string, unknown>).forEach(([k, x]) => walk(x, k));
    }
  };
  walk(content);
  return (
    <div class="card">
      {lines.map((l, i) => (l.heading ? <h3 key={i}>{l.text}</h3> : <p key={i}>{l.text}</p>))}
    </div>
  );
}
