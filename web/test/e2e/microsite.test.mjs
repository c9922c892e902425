// The facilitator's desk end to end, on a real `rubrica serve` driven through Debian's
// Chromium (issue 16, phase 3). What the public, the garante and the archivist see of a
// signed acta is in signing.test.mjs, on the acta signed there (one walk, one acta); this
// file keeps what only the desk and the public's requests show:
//   - through the API: a secretariat with two seats (an authority and the organismo
//     garante), a facilitator and a substitute; an installation acta approved (the
//     facilitator's "firme hoy" mail); a complaint filed on the microsite;
//   - the public asks to take part: refused in the page without name and contact, with no
//     request sent, then filed;
//   - the facilitator, on her desk, reads the inbox with the contact given, convenes the next
//     session, publishes a communiqué and answers the complaint; the public reads the answer
//     by the folio typed in lower case and sees the communiqué on the microsite;
//   - her desk lists the convocation and the "firme hoy" mail as sent, one line per person;
//   - a member acknowledges the convocation from "Mis pendientes";
//   - the facilitator records a session from her desk: attendance with a substitute, the
//     agenda, a vote with an abstention, an agreement; the API's record agrees.
// Every page is photographed at 1280 and 390 px and checked with axe; every JSON answer is
// checked against its OpenAPI schema; any CSP violation or script error fails.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiClient } from './support/api.mjs';
import { roomLeftInTheDay, spanishDate, todayInMexico } from './support/dates.mjs';
import { accessibilityViolations, launch, Person, screenshots } from './support/browser.mjs';
import { RubricaServer, tempDir } from './support/server.mjs';

const LONG = 120_000;

describe('the facilitator\'s desk and the public\'s requests', { timeout: 18 * 60_000 }, () => {
  const mismatches = [];
  const work = tempDir('micro');
  const dataDir = path.join(work, 'data');
  const admin = { password: 'Administración-2026!' };
  const paula = { email: 'paula.esquivel@ejemplo.invalid', password: 'Paula-contraseña-2026', pin: '582913' };
  const mariana = { email: 'mariana.ortiz@ejemplo.invalid', password: 'Mariana-contraseña-2026', pin: '739214' };
  const julian = { email: 'julian.cardenas@ejemplo.invalid', password: 'Julián-contraseña-2026', pin: '463827' };
  let server;
  let browser;
  let secretariat;
  let acta;
  let folio;
  let facilitatorApi;
  const report = [];

  async function check(person, name) {
    await screenshots(person.page, name);
    const violations = await accessibilityViolations(person.page);
    assert.deepEqual(violations, [], `accessibility of ${name}`);
    report.push(name);
  }

  before(async () => {
    await roomLeftInTheDay(8);
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    server = await RubricaServer.start(dataDir);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    const exit = await server?.stop();
    if (exit) assert.equal(exit.code, 0, `rubrica serve exit: ${server.stderr}`);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('sets up a secretariat whose installation acta was approved, and a complaint (API)', async () => {
    const adminToken = new URL(server.adminLink()).searchParams.get('token');
    await new ApiClient(server.url, mismatches).post('/api/invitations/accept', { token: adminToken, password: admin.password });
    const api = await ApiClient.login(server.url, mismatches, 'admin', admin.password);
    const today = todayInMexico();
    secretariat = await api.post('/api/secretariats', {
      template: 'stm',
      name: 'Secretariado Técnico Municipal de Gobierno Abierto de Valle Escondido',
      place: 'Valle Escondido, Michoacán',
      administration_ends: `${Number(today.slice(0, 4)) + 2}-08-31`,
      // An extraordinary session may be held the day it is convened: the desk's test holds one today.
      extraordinary_notice_business_days: 0,
    });
    const sid = secretariat.id;
    const ids = {};
    for (const [key, p] of Object.entries({
      paula: { full_name: 'Paula Esquivel Duarte', title: 'Facilitadora', email: paula.email },
      mariana: { full_name: 'Mariana Ortiz Rangel', title: 'Directora de Transparencia', email: mariana.email },
      julian: { full_name: 'Julián Cárdenas Ibarra', title: 'Comisionado', email: julian.email },
      rodrigo: { full_name: 'Rodrigo Salas Méndez', title: 'Subdirector de Transparencia', email: 'rodrigo.salas@ejemplo.invalid' },
    })) {
      ids[key] = (await api.post('/api/people', p)).person_id;
    }
    const authority = secretariat.member_types.map((t) => t.code).find((c) => c !== secretariat.garante_member_type);
    const seat1 = (await api.post(`/api/secretariats/${sid}/seats`, { member_type: authority, represents: 'Ayuntamiento' })).seat_id;
    const seat2 = (await api.post(`/api/secretariats/${sid}/seats`, { member_type: secretariat.garante_member_type, represents: 'Instituto de Transparencia' })).seat_id;
    await api.post(`/api/secretariats/${sid}/terms`, { person_id: ids.mariana, role: 'titular', seat_id: seat1, starts_on: today });
    await api.post(`/api/secretariats/${sid}/terms`, { person_id: ids.julian, role: 'titular', seat_id: seat2, starts_on: today });
    await api.post(`/api/secretariats/${sid}/terms`, { person_id: ids.paula, role: 'facilitator', starts_on: today });
    const clients = {};
    for (const [key, who] of Object.entries({ paula, mariana, julian })) {
      await api.post('/api/accounts', { email: who.email, person_id: ids[key] });
      const token = new URL(await server.waitForOutboxLink(who.email, '/invitacion')).searchParams.get('token');
      await api.post('/api/invitations/accept', { token, password: who.password, pin: who.pin });
      clients[key] = await ApiClient.login(server.url, mismatches, who.email, who.password);
    }
    const f = (facilitatorApi = clients.paula);
    acta = await f.post(`/api/secretariats/${sid}/actas`, {
      kind: 'installation',
      title: 'Acta de instalación del Secretariado Técnico Municipal de Valle Escondido',
      acta_date: today,
      content: {
        format: 1,
        id: `stm-valle-escondido-${today}-instalacion`,
        kind: 'instalacion',
        secretariat: secretariat.name,
        title: 'ACTA DE INSTALACIÓN DEL SECRETARIADO TÉCNICO MUNICIPAL DE VALLE ESCONDIDO',
        place_date: `Valle Escondido, Michoacán, a ${today}`,
        blocks: [
          { type: 'paragraph', text: 'Se reunieron las personas integrantes del **Secretariado** para su instalación.' },
          { type: 'closing', text: 'No habiendo más asuntos que tratar, se cierra la sesión.' },
        ],
      },
    });
    await f.post(`/api/actas/${acta.id}/review`);
    acta = await f.post(`/api/actas/${acta.id}/approval`, {
      votes: [ids.mariana, ids.julian].map((person_id) => ({ person_id, choice: 'yes' })),
    });
    assert.equal(acta.state, 'rubric');
    assert.ok(acta.folio);
    // The authority's substitute, from after the installation (the desk's session seats him).
    await api.post(`/api/secretariats/${sid}/terms`, { person_id: ids.rodrigo, role: 'substitute', seat_id: seat1, starts_on: today });
    // A complaint about the microsite, filed as the public's page does (that page: signing.test.mjs).
    const filed = await new ApiClient(server.url, mismatches).post(`/api/secretariats/${sid}/submissions`, {
      kind: 'complaint',
      text: 'La convocatoria de la sesión no se publicó en el micrositio.',
    });
    folio = filed.folio;
    assert.match(folio, /^QUE-\d{6}-[0-9A-Z]{8}$/);
  });

  it('the public asks to take part: refused without name and contact before anything is sent, then filed', async () => {
    const p = await Person.open(browser, 'participa', mismatches);
    await p.page.goto(`${server.url}/secretariados/${secretariat.id}/participar`);
    await p.page.getByRole('heading', { name: 'Solicitar participar' }).waitFor();
    await p.page.getByLabel('¿Cómo quiere participar?').fill('Quiero sumarme a la mesa de presupuesto abierto.');
    const sent = p.requests.length;
    await p.page.getByRole('button', { name: 'Enviar solicitud' }).click();
    await p.page.getByRole('alert').getByText('indique su nombre y un medio de contacto').waitFor();
    assert.equal(p.requests.length, sent, 'refused in the page before anything is sent');
    await p.page.getByLabel('Nombre').fill('Renata Solís Carranza');
    await p.page.getByLabel('Correo electrónico o teléfono').fill('renata@ejemplo.invalid');
    await check(p, 'participar');
    await p.page.getByRole('button', { name: 'Enviar solicitud' }).click();
    assert.match((await p.page.getByTestId('folio').textContent()).trim(), /^PAR-/);
    assert.deepEqual(p.problems, []);
    await p.close();
  });

  it('the facilitator answers the complaint from her desk and the public reads the answer', async () => {
    const f = await Person.open(browser, 'paula', mismatches);
    await f.page.goto(`${server.url}/escritorio`);
    await f.page.getByLabel('Correo electrónico o usuario').fill(paula.email);
    await f.page.getByLabel('Contraseña', { exact: true }).fill(paula.password);
    await f.page.getByRole('button', { name: 'Entrar' }).click();
    await f.page.getByRole('heading', { name: 'Buzón del micrositio' }).waitFor({ timeout: LONG });
    await f.page.getByText('renata@ejemplo.invalid').waitFor();
    await check(f, 'escritorio');
    // She convenes the next ordinary session from the desk.
    const next = new Date(Date.now() - 6 * 3600 * 1000 + 30 * 86400 * 1000).toISOString().slice(0, 10);
    await f.page.getByText('Convocar una sesión').click();
    await f.page.getByLabel('Fecha y hora (hora del centro de México)').fill(`${next}T10:00`);
    await f.page.getByLabel('Lugar', { exact: true }).fill('Sala de Cabildo');
    await f.page.getByRole('button', { name: 'Convocar' }).click();
    await f.page.getByText(/^Se convocó la sesión del /).waitFor({ timeout: LONG });
    await f.page.getByText('Sala de Cabildo').first().waitFor();
    // She publishes a communiqué from the desk; the public sees it on the microsite below.
    await f.page.getByLabel('Título').fill('Comunicado: respuesta a la ciudadanía');
    await f.page.getByLabel('Enlace (https://…)').fill('https://comunicacion.valle-escondido.example.org/respuesta');
    await f.page.getByRole('button', { name: 'Publicar' }).click();
    await f.page.getByText('Se publicó «Comunicado: respuesta a la ciudadanía» en el micrositio.').waitFor({ timeout: LONG });
    await f.page.getByLabel(`Respuesta al folio ${folio}`).fill('Gracias: la convocatoria ya está publicada en la agenda.');
    const item = f.page.getByRole('listitem').filter({ hasText: folio });
    await item.getByRole('button', { name: 'Enviar la respuesta' }).click();
    await item.getByText('Respondida').waitFor({ timeout: LONG });
    assert.deepEqual(f.problems, []);
    await f.close();

    const p = await Person.open(browser, 'queja-respuesta', mismatches);
    await p.page.goto(`${server.url}/folio`);
    await p.page.getByLabel('Folio de seguimiento').fill(folio.toLowerCase());
    await p.page.getByRole('button', { name: 'Consultar' }).click();
    await p.page.getByText('Gracias: la convocatoria ya está publicada en la agenda.').waitFor({ timeout: LONG });
    await p.page.getByText('Respondida', { exact: true }).waitFor();
    await p.page.goto(`${server.url}/secretariados/${secretariat.id}`);
    await p.page.getByText('Comunicado: respuesta a la ciudadanía', { exact: true }).waitFor({ timeout: LONG });
    assert.deepEqual(p.problems, []);
    await p.close();
  });

  it('the desk lists the reminders and notices sent: the convocation and "firme hoy", with their state', async () => {
    const f = await Person.open(browser, 'paula-avisos', mismatches);
    await f.page.goto(`${server.url}/escritorio`);
    await f.page.getByLabel('Correo electrónico o usuario').fill(paula.email);
    await f.page.getByLabel('Contraseña', { exact: true }).fill(paula.password);
    await f.page.getByRole('button', { name: 'Entrar' }).click();
    const panel = f.page.locator('.card').filter({ has: f.page.getByRole('heading', { name: 'Recordatorios y avisos enviados' }) });
    await panel.waitFor({ timeout: LONG });
    const list = panel.getByRole('list', { name: 'Recordatorios y avisos enviados' });
    const convocation = list.getByRole('listitem').filter({ hasText: /^Convocatoria: sesión ordinaria del / });
    const firme = list.getByRole('listitem').filter({ hasText: `Firme hoy: ${acta.title}` });
    // The sender delivers in the background: the facilitator refreshes until both are sent.
    for (let i = 0; i < 60; i++) {
      const sent = (await convocation.filter({ hasText: 'enviado' }).count()) > 0 && (await firme.filter({ hasText: 'enviado' }).count()) > 0;
      if (sent) break;
      await f.page.waitForTimeout(500);
      await panel.getByRole('button', { name: 'Actualizar la lista de avisos' }).click();
    }
    // Every member in force on the session's date got the convocation (one line each, by
    // name, never by address); the installation acta's signers got "firme hoy".
    const members = ['Paula Esquivel Duarte', 'Mariana Ortiz Rangel', 'Julián Cárdenas Ibarra', 'Rodrigo Salas Méndez'];
    for (const name of members) {
      const mine = convocation.filter({ hasText: `para ${name}` });
      assert.equal(await mine.count(), 1, `convocation to ${name}`);
      await mine.getByText('enviado', { exact: true }).waitFor();
      await mine.getByText('1 intento').waitFor();
    }
    assert.ok(acta.signers.length >= 2);
    for (const name of acta.signers.map((x) => x.full_name)) {
      const mine = firme.filter({ hasText: `para ${name}` });
      assert.equal(await mine.count(), 1, `firme hoy to ${name}`);
      await mine.getByText('enviado', { exact: true }).waitFor();
    }
    assert.equal(await list.getByText('@').count(), 0, 'no address is shown');
    await check(f, 'escritorio-avisos');
    // One session: its convocation only (the installation acta belongs to no session).
    const select = panel.getByLabel('Mostrar los avisos de');
    const option = (await select.locator('option').allTextContents()).find((t) => t.startsWith('la sesión ordinaria'));
    assert.ok(option, 'the convened session is offered');
    await select.selectOption({ label: option });
    await firme.first().waitFor({ state: 'detached', timeout: LONG });
    assert.equal(await convocation.count(), members.length);
    assert.deepEqual(f.problems, []);
    await f.close();
  });

  it('a member acknowledges the convocation from "Mis pendientes" and the task goes away', async () => {
    const m = await Person.open(browser, 'mariana', mismatches);
    await m.page.goto(`${server.url}/pendientes`);
    await m.page.getByLabel('Correo electrónico o usuario').fill(mariana.email);
    await m.page.getByLabel('Contraseña', { exact: true }).fill(mariana.password);
    await m.page.getByRole('button', { name: 'Entrar' }).click();
    const task = m.page.getByRole('listitem').filter({ has: m.page.getByRole('heading', { name: /^Acuse recibo de la convocatoria a la sesión ordinaria/ }) });
    await task.waitFor({ timeout: LONG });
    await check(m, 'pendientes-convocatoria');
    await task.getByRole('button', { name: 'Acusar recibo de la convocatoria' }).click();
    await m.page.getByText(/^Se registró su acuse de recibo de la convocatoria a la sesión del /).waitFor({ timeout: LONG });
    await m.page.getByRole('heading', { name: /^Acuse recibo de la convocatoria/ }).waitFor({ state: 'detached', timeout: LONG });
    assert.equal(await m.page.getByRole('heading', { name: /^Acuse recibo de la convocatoria/ }).count(), 0, 'the task is gone');
    // The server agrees: after a reload the task does not come back.
    await m.page.reload();
    await m.page.getByRole('heading', { name: 'Mis pendientes' }).waitFor();
    await m.page.getByText(/Cargando/).waitFor({ state: 'detached', timeout: LONG });
    assert.equal(await m.page.getByRole('heading', { name: /^Acuse recibo de la convocatoria/ }).count(), 0, 'acknowledged for good');
    assert.deepEqual(m.problems, []);
    await m.close();
  });

  it('the facilitator records attendance with a substitute, a vote and an agreement from her desk', async () => {
    // An extraordinary session today, a few minutes ahead (API: convening from the desk is tested above).
    const start = new Date(Date.now() - 6 * 3600 * 1000 + 5 * 60 * 1000).toISOString().slice(0, 16);
    const convened = await facilitatorApi.post(`/api/secretariats/${secretariat.id}/sessions`, {
      kind: 'extraordinary',
      starts_at: `${start}:00-06:00`,
      place: 'Sala de Juntas',
      agenda: ['Lista de asistencia', 'Calendario de sesiones'],
    });
    const sessionId = convened.session.id;
    const f = await Person.open(browser, 'paula-sesion', mismatches);
    await f.page.goto(`${server.url}/escritorio`);
    await f.page.getByLabel('Correo electrónico o usuario').fill(paula.email);
    await f.page.getByLabel('Contraseña', { exact: true }).fill(paula.password);
    await f.page.getByRole('button', { name: 'Entrar' }).click();
    const item = f.page
      .getByRole('listitem')
      .filter({ hasText: `Sesión extraordinaria del ${spanishDate(convened.session.session_date)}` })
      .first();
    await item.waitFor({ timeout: LONG });
    await item.getByRole('button', { name: /^Ver el registro de la sesión/ }).click();
    const table = item.getByRole('table', { name: 'Asistencia' });
    await table.waitFor({ timeout: LONG });
    // The authority's seat through its substitute, the garante's through its titular.
    await item.getByRole('button', { name: 'Registrar a Rodrigo Salas Méndez (suplente)' }).click();
    await item.getByText('Se registró la asistencia de Rodrigo Salas Méndez.').waitFor({ timeout: LONG });
    await table.getByRole('row').filter({ hasText: 'Rodrigo Salas Méndez' }).getByText('Asistió el suplente').waitFor();
    await item.getByRole('button', { name: 'Registrar a Julián Cárdenas Ibarra (titular)' }).click();
    await item.getByText('Se registró la asistencia de Julián Cárdenas Ibarra.').waitFor({ timeout: LONG });
    await item.getByText('Hay quórum').waitFor();
    await item.getByRole('button', { name: 'Abrir la sesión' }).click();
    await item.getByText('Se abrió la sesión.').waitFor({ timeout: LONG });
    await item.getByRole('button', { name: /aprueban el orden del día/ }).click();
    await item.getByText('Se registró la aprobación del orden del día.').waitFor({ timeout: LONG });
    await item.getByLabel('Punto del orden del día').selectOption({ label: '2. Calendario de sesiones' });
    await item.getByLabel('Asunto votado').fill('Aprobar el calendario de sesiones ordinarias');
    await item.getByLabel(/^Voto de Julián Cárdenas Ibarra/).selectOption({ label: 'Abstención' });
    await item.getByRole('button', { name: 'Registrar la votación' }).click();
    await item.getByText('Se registró la votación «Aprobar el calendario de sesiones ordinarias».').waitFor({ timeout: LONG });
    const votes = item.getByRole('table', { name: /Punto 2: Aprobar el calendario de sesiones ordinarias/ });
    await votes.getByText(/1 a favor, 0 en contra, 1 abstenciones/).waitFor();
    await votes.getByRole('row').filter({ hasText: 'Rodrigo Salas Méndez' }).getByText('A favor').waitFor();
    await votes.getByRole('row').filter({ hasText: 'Julián Cárdenas Ibarra' }).getByText('Abstención').waitFor();
    // Consensus: an abstention means the decision was not adopted, so the agreement that
    // follows stands on its own (the form offers only approved decisions), with its owner
    // and due date.
    await votes.getByText('Rechazado', { exact: true }).waitFor();
    assert.equal(await item.getByLabel('Decisión aprobada de la que deriva').inputValue(), '');
    const due = new Date(Date.now() - 6 * 3600 * 1000 + 60 * 86400 * 1000).toISOString().slice(0, 10);
    await item.getByLabel('Acuerdo', { exact: true }).fill('Publicar el calendario en el micrositio');
    await item.getByLabel('Responsable').selectOption({ label: 'Rodrigo Salas Méndez' });
    await item.getByLabel('Fecha de vencimiento').fill(due);
    await item.getByRole('button', { name: 'Registrar el acuerdo' }).click();
    await item.getByText('Se registró el acuerdo «Publicar el calendario en el micrositio».').waitFor({ timeout: LONG });
    await item.getByText(`responsable: Rodrigo Salas Méndez · vence el ${spanishDate(due)}`).waitFor();
    await check(f, 'escritorio-sesion');
    assert.deepEqual(f.problems, []);
    await f.close();
    // The service recorded what the page showed.
    const record = await facilitatorApi.get(`/api/sessions/${sessionId}/record`);
    assert.deepEqual(record.seats.map((s) => s.presence).sort(), ['substitute', 'titular']);
    assert.equal(record.decisions.length, 1);
    assert.deepEqual(
      record.decisions[0].votes.map((v) => [v.person.full_name, v.choice]).sort(),
      [['Julián Cárdenas Ibarra', 'abstain'], ['Rodrigo Salas Méndez', 'yes']],
    );
    assert.deepEqual(
      record.agreements.map((a) => [a.text, a.owner.full_name, a.due_on, a.decision_id]),
      [['Publicar el calendario en el micrositio', 'Rodrigo Salas Méndez', due, null]],
    );
  });

  it('every JSON answer matched its OpenAPI schema', () => {
    assert.deepEqual(mismatches, []);
    assert.deepEqual(report, ['participar', 'escritorio', 'escritorio-avisos', 'pendientes-convocatoria', 'escritorio-sesion']);
  });
});
