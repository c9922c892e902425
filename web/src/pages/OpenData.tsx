// "/datos-abiertos": the open data's dictionary (every dataset and column) and its licence.
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf, ok, type Schemas } from '../api/client';
import { Alert, Loading, Page } from '../ui/components';

const TYPE: Record<string, string> = {
  integer: 'número entero',
  string: 'texto',
  date: 'fecha (AAAA-MM-DD)',
  'date-time': 'fecha y hora (RFC 3339, UTC)',
  boolean: 'verdadero o falso',
};

export function OpenData() {
  const [dict, setDict] = useState<Schemas['OpenDataDictionary'] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    ok(api.GET('/api/open-data/dictionary'))
      .then(setDict)
      .catch((e) => setError(messageOf(e)));
  }, []);
  return (
    <Page title="Diccionario de datos abiertos">
      {error && <Alert tone="error">{error}</Alert>}
      {!dict && !error && <Loading what="el diccionario" />}
      {dict && (
        <>
          <p>
            Cada secretariado publica en su micrositio estos conjuntos de datos, en CSV y en JSON, bajo la licencia{' '}
            <a href={dict.licence_url} rel="license">
              {dict.licence_name_es}
            </a>
            . El diccionario también está disponible <a href={dict.dictionary_url}>en JSON</a>.
          </p>
          <p>{dict.format_es}</p>
          {dict.datasets.map((d) => (
            <section key={d.name} aria-labelledby={`ds-${d.name}`}>
              <h2 id={`ds-${d.name}`}>
                {d.title_es} <span class="code">({d.name})</span>
              </h2>
              <p>{d.description_es}</p>
              <div class="table-wrap">
                <table>
                  <caption class="sr-only">Columnas de {d.title_es}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Columna</th>
                      <th scope="col">Tipo</th>
                      <th scope="col">Descripción</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.columns.map((c) => (
                      <tr key={c.name}>
                        <th scope="row" class="code-cell">
                          {c.name}
                        </th>
                        <td>{TYPE[c.type] ?? c.type}</td>
                        <td>{c.description_es}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ))}
        </>
      )}
    </Page>
  );
}
