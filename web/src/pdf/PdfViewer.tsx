// An acta's PDF shown page by page with pdf.js (its worker is a same-origin file: the CSP
// allows workers from 'self' and no eval). The member moves through the pages with
// buttons (keyboard and screen-reader friendly); every page shown is marked seen, and the
// text of the page is offered as text too, since a canvas is not readable by everyone.
import * as pdfjs from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Alert, Loading } from '../ui/components';

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

interface Props {
  bytes: Uint8Array;
  /** Called whenever the set of seen pages grows. */
  onSeen?: (seen: number, total: number) => void;
}

export function PdfViewer({ bytes, onSeen }: Props) {
  const [doc, setDoc] = useState<pdfjs.PDFDocumentProxy | null>(null);
  const [error, setError] = useState('');
  const [page, setPage] = useState(1);
  const [seen, setSeen] = useState<Set<number>>(new Set());
  const [pageText, setPageText] = useState('');
  const canvas = useRef<HTMLCanvasElement>(null);
  const frame = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let cancelled = false;
    setDoc(null);
    setSeen(new Set());
    setPage(1);
    // pdf.js takes ownership of the buffer it is given: hand it a copy.
    const task = pdfjs.getDocument({ data: bytes.slice(), isEvalSupported: false, enableXfa: false });
    task.promise.then(
      (d) => !cancelled && setDoc(d),
      () => !cancelled && setError('No se pudo mostrar el PDF del acta en este navegador. Puede descargarlo.'),
    );
    return () => {
      cancelled = true;
      void task.destroy();
    };
  }, [bytes]);

  useEffect(() => {
    if (!doc || !canvas.current) return;
    let cancelled = false;
    let render: pdfjs.RenderTask | null = null;
    (async () => {
      const p = await doc.getPage(page);
      if (cancelled || !canvas.current) return;
      const width = Math.max(280, (frame.current?.clientWidth ?? 800) - 16);
      const base = p.getViewport({ scale: 1 });
      const viewport = p.getViewport({ scale: Math.min(2, width / base.width) });
      const ratio = window.devicePixelRatio || 1;
      const c = canvas.current;
      c.width = Math.floor(viewport.width * ratio);
      c.height = Math.floor(viewport.height * ratio);
      c.style.width = `${Math.floor(viewport.width)}px`;
      render = p.render({ canvas: c, viewport, transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : undefined });
      await render.promise;
      const content = await p.getTextContent();
      if (cancelled) return;
      setPageText(content.items.map((i) => ('str' in i ? i.str + (i.hasEOL ? '\n' : ' ') : '')).join(''));
      setSeen((s) => (s.has(page) ? s : new Set(s).add(page)));
    })().catch(() => !cancelled && setError('No se pudo dibujar esta hoja del acta.'));
    return () => {
      cancelled = true;
      render?.cancel();
    };
  }, [doc, page]);

  useEffect(() => {
    if (doc) onSeen?.(seen.size, doc.numPages);
  }, [seen, doc]);

  if (error) return <Alert tone="error">{error}</Alert>;
  if (!doc) return <Loading what="el PDF del acta" />;
  const total = doc.numPages;
  return (
    <section class="viewer" aria-labelledby="viewer-title">
      <h2 id="viewer-title" class="sr-only">
        El acta, hoja por hoja
      </h2>
      <div class="toolbar">
        <button type="button" class="secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
          ← Hoja anterior
        </button>
        <span class="progress" aria-live="polite">
          Hoja {page} de {total} · ha visto {seen.size} de {total}
        </span>
        <button type="button" class="secondary" disabled={page >= total} onClick={() => setPage(page + 1)}>
          Hoja siguiente →
        </button>
      </div>
      <div class="page-frame" ref={frame}>
        <canvas ref={canvas} role="img" aria-label={`Hoja ${page} de ${total} del acta`} />
      </div>
      <nav aria-label="Hojas del acta">
        <ul class="pages">
          {Array.from({ length: total }, (_, i) => i + 1).map((n) => (
            <li key={n}>
              <button
                type="button"
                class={seen.has(n) ? 'seen' : ''}
                aria-current={n === page ? 'page' : undefined}
                onClick={() => setPage(n)}
              >
                {n}
                <span class="sr-only">{seen.has(n) ? ' (vista)' : ' (sin ver)'}</span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <details class="page-text">
        <summary>Texto de la hoja {page}</summary>
        <pre>{pageText}</pre>
      </details>
    </section>
  );
}
