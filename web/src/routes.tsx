// The pages and their paths. The server answers each path with index.html
// (server/src/web_routes.cc, WebPagePaths); a test checks the two lists agree.
import type { FunctionComponent } from 'preact';
import { ActaPage } from './pages/ActaPage';
import { Archive } from './pages/Archive';
import { Desk } from './pages/Desk';
import { Folio } from './pages/Folio';
import { Garante } from './pages/Garante';
import { Home } from './pages/Home';
import { Invitation } from './pages/Invitation';
import { MySignature } from './pages/MySignature';
import { OpenData } from './pages/OpenData';
import { Pending } from './pages/Pending';
import { Reenrolment } from './pages/Reenrolment';
import { Secretariat } from './pages/Secretariat';
import { Mailbox, TakePart } from './pages/Submission';
import { Verify } from './pages/Verify';

export interface RouteDef {
  path: string;
  page: FunctionComponent<{ params: Record<string, string> }>;
}

export const ROUTES: RouteDef[] = [
  { path: '/', page: Home },
  { path: '/pendientes', page: Pending },
  { path: '/invitacion', page: () => <Invitation /> },
  { path: '/reinscripcion', page: Reenrolment },
  { path: '/restablecer', page: () => <Invitation reset /> },
  { path: '/actas/{acta_id}', page: ActaPage },
  { path: '/mi-firma', page: MySignature },
  { path: '/verificar', page: Verify },
  { path: '/secretariados/{secretariat_id}', page: Secretariat },
  { path: '/secretariados/{secretariat_id}/buzon', page: Mailbox },
  { path: '/secretariados/{secretariat_id}/participar', page: TakePart },
  { path: '/folio', page: Folio },
  { path: '/datos-abiertos', page: OpenData },
  { path: '/garante', page: Garante },
  { path: '/escritorio', page: Desk },
  { path: '/archivo', page: Archive },
];
