// "/secretariados/<id>": a secretariat's public page: who it is and its archived actas,
// each downloadable and verifiable. The microsite's other sections (issue 16) come later.
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf, ok, type Acta, type Schemas } from '../api/client';
import { Alert, Loading, Page } from '../ui/components';
import { ACTA_KIND, dateEs, SECRETARIAT_KIND } from '../ui/format';

export function Secretariat({ params }: { params: Record<string, string> }) {
  const id = Number(params.secretariat_id);
  const [s, setS] = useState<Schemas['Secretariat'] | null>(null);
  const [actas, setActas] = useState<Acta[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    const path = { params: { path: { secretariat_id: id } } };
    Promise.all([ok(api.GET('/api/secretariats/{secretariat_id}', path)), ok(api.GET('/api/secretariats/{secretariat_id}/actas', path))])
      .then(([sec, list]) => {
        setS(sec);
        setActas(list.actas.filter((a) => a.state === 'archived' || a.state === 'delivered'));
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
  if (!s) return <Loading what="el secretariado" />;
  return (
    <Page title={s.name}>
      <p class="meta">
        {SECRETARIAT_KIND[s.kind] ?? s.kind} · {s.place}
      </p>
      <section aria-labelledby="actas-title">
        <h2 id="actas-title">Actas archivadas</h2>
        {!actas && <Loading what="las actas" />}
        {actas && actas.length === 0 && <p>Aún no hay actas archivadas.</p>}
        {actas && actas.length > 0 && (
          <ul class="plain">
            {actas.map((a) => (
              <li key={a.id}>
                <a class="task-title" href={`/actas/${a.id}`}>
                  {a.title}
                </a>
                <div class="meta">
                  {ACTA_KIND[a.kind] ?? a.kind} · {dateEs(a.acta_date)} ·{' '}
                  <a href={`/api/actas/${a.id}/pdf`} download={`acta-${a.id}.pdf`}>
                    Descargar PDF
                  </a>
                </div>
              </li>
            ))}
          </ul>
        )}
        <p>
          Para comprobar un acta descargada, súbala en <a href="/verificar">Verificar un acta</a>.
        </p>
      </section>
    </Page>
  );
}
