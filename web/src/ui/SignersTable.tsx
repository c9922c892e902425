// An acta's required signers, seat by seat: capacity, rubric and foot signature (the acta
// page, the garante's board).
import type { Acta } from '../api/client';
import { Badge } from './components';
import { CAPACITY } from './format';

export function SignersTable({ acta, myId, caption }: { acta: Acta; myId?: number; caption?: string }) {
  return (
    <div class="table-wrap">
      <table class="stack">
        {caption && <caption class="sr-only">{caption}</caption>}
        <thead>
          <tr>
            <th scope="col">Integrante</th>
            <th scope="col">Calidad</th>
            <th scope="col">Rúbrica</th>
            <th scope="col">Firma al calce</th>
          </tr>
        </thead>
        <tbody>
          {acta.signers.map((s) => (
            <tr key={s.person_id}>
              <td data-label="Integrante">
                {s.full_name}
                {s.person_id === myId && <span class="meta"> (usted)</span>}
              </td>
              <td data-label="Calidad">{CAPACITY[s.capacity] ?? s.capacity}</td>
              <td data-label="Rúbrica">{s.rubric_signed ? <Badge tone="ok">Rubricada</Badge> : <Badge tone="pending">Pendiente</Badge>}</td>
              <td data-label="Firma al calce">{s.foot_signed ? <Badge tone="ok">Firmada</Badge> : <Badge tone="pending">Pendiente</Badge>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
