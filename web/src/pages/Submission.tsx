// "/secretariados/<id>/buzon" and "/secretariados/<id>/participar": the public writes to
// the secretariat without an account (a question, complaint or suggestion; or a request to
// take part) and gets a tracking folio to look up the answer at "/folio".
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf, ok, type Schemas } from '../api/client';
import { Alert, Page } from '../ui/components';

type Kind = 'question' | 'complaint' | 'suggestion' | 'participation';

export function Mailbox({ params }: { params: Record<string, string> }) {
  return <SubmissionForm id={Number(params.secretariat_id)} participation={false} />;
}

export function TakePart({ params }: { params: Record<string, string> }) {
  return <SubmissionForm id={Number(params.secretariat_id)} participation />;
}

function SubmissionForm({ id, participation }: { id: number; participation: boolean }) {
  const [name, setName] = useState('');
  const [secretariat, setSecretariat] = useState('');
  const [kind, setKind] = useState<Kind>(participation ? 'participation' : 'question');
  const [contact, setContact] = useState('');
  const [organisation, setOrganisation] = useState('');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [filed, setFiled] = useState<Schemas['SubmissionFiled'] | null>(null);
  useEffect(() => {
    ok(api.GET('/api/secretariats/{secretariat_id}', { params: { path: { secretariat_id: id } } }))
      .then((s) => setSecretariat(s.name))
      .catch(() => setSecretariat(''));
  }, [id]);
  const title = participation ? 'Solicitar participar' : 'Preguntas, quejas y sugerencias';

  async function submit(e: Event) {
    e.preventDefault();
    setError('');
    if (!text.trim()) {
      setError('Escriba su mensaje.');
      return;
    }
    if (participation && (!name.trim() || !contact.trim())) {
      setError('Para solicitar participar, indique su nombre y un medio de contacto.');
      return;
    }
    setBusy(true);
    try {
      const r = await ok(
        api.POST('/api/secretariats/{secretariat_id}/submissions', {
          params: { path: { secretariat_id: id } },
          body: { kind, name: name.trim(), contact: contact.trim(), organisation: organisation.trim(), text },
        }),
      );
      setFiled(r);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  if (filed) {
    return (
      <Page title={title}>
        <Alert tone="ok">
          <p>Recibimos su mensaje. Su folio de seguimiento es:</p>
          <p class="folio" data-testid="folio">
            {filed.folio}
          </p>
          <p>Guárdelo: con él puede consultar el estado y la respuesta del secretariado.</p>
        </Alert>
        <div class="actions">
          <a class="button" href={`/folio?folio=${encodeURIComponent(filed.folio)}`}>
            Consultar este folio
          </a>
          <a class="button secondary" href={`/secretariados/${id}`}>
            Volver al micrositio
          </a>
        </div>
      </Page>
    );
  }
  return (
    <Page title={title}>
      {secretariat && <p class="meta">{secretariat}</p>}
      <p>
        {participation
          ? 'Cuéntenos cómo quiere participar. La facilitación del secretariado revisará su solicitud y le contactará.'
          : 'No necesita una cuenta. Su nombre y su contacto son opcionales y solo los ve la facilitación del secretariado; la consulta por folio muestra únicamente su mensaje y la respuesta.'}
      </p>
      {error && <Alert tone="error">{error}</Alert>}
      <form onSubmit={submit} noValidate>
        {!participation && (
          <fieldset>
            <legend>¿Qué desea enviar?</legend>
            {(
              [
                ['question', 'Una pregunta'],
                ['complaint', 'Una queja'],
                ['suggestion', 'Una sugerencia'],
              ] as [Kind, string][]
            ).map(([value, label]) => (
              <div class="choice" key={value}>
                <input type="radio" id={`kind-${value}`} name="kind" value={value} checked={kind === value} onChange={() => setKind(value)} />
                <label for={`kind-${value}`}>{label}</label>
              </div>
            ))}
          </fieldset>
        )}
        <div class="field">
          <label for="s-name">Nombre{participation ? '' : ' (opcional)'}</label>
          <input id="s-name" type="text" autocomplete="name" maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="s-contact">Correo electrónico o teléfono{participation ? '' : ' (opcional)'}</label>
          <input id="s-contact" type="text" autocomplete="email" maxLength={254} value={contact} onInput={(e) => setContact(e.currentTarget.value)} />
        </div>
        {participation && (
          <div class="field">
            <label for="s-org">Organización o sector (opcional)</label>
            <input id="s-org" type="text" autocomplete="organization" maxLength={300} value={organisation} onInput={(e) => setOrganisation(e.currentTarget.value)} />
          </div>
        )}
        <div class="field">
          <label for="s-text">{participation ? '¿Cómo quiere participar?' : 'Su mensaje'}</label>
          <textarea id="s-text" maxLength={4000} aria-describedby="s-text-hint" value={text} onInput={(e) => setText(e.currentTarget.value)} />
          <p class="hint" id="s-text-hint">
            Hasta 4 000 caracteres.
          </p>
        </div>
        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Enviando…' : participation ? 'Enviar solicitud' : 'Enviar mensaje'}
          </button>
        </div>
      </form>
    </Page>
  );
}
