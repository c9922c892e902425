// One walk, one acta (issue 16, Done-when 1): the web pages end to end on a real `rubrica
// serve` (its own data directory, a free port on loopback) driven through Debian's Chromium
// as people would, from the first link the service prints to the public's complaint about
// the acta signed here:
//   - the administrator opens the link the service printed and sets a password;
//   - a member (an authority's seat) accepts the invitation from the link in the outbox
//     e-mail, choosing a PIN, comments on the draft, goes through every page of the approved
//     acta, rubricates and signs at the foot; she forgets her PIN before the acta is
//     approved: the facilitator issues a re-enrolment link, she opens it from the e-mail on
//     another device, logs in, sets a new PIN there and signs with it; "Mis pendientes"
//     shows her the server's tasks as they change;
//   - another member (the organismo garante's seat) accepts choosing her e.firma (a
//     certificate from a test CA registered as a trust anchor before the service started),
//     is refused in the browser with the SAT test e.firma (expired), then rubricates and
//     signs with her own .cer/.key, the key opened in the page: neither the key nor its
//     password appears in any request, and nothing leaves 127.0.0.1;
//   - the acta is the record of the installation session, sealed and archived; then the
//     garante sees it complete seat by seat and the month on time on her board; the
//     archivist finds it, downloads the certified copy and has its PDF judged by pdfsig,
//     openssl ts and qpdf; the public finds it on the microsite, downloads its PDF and the
//     open data (the session in the CSV and the JSON), opens its verification report,
//     verifies the PDF on the public page, files a complaint and looks it up by folio.
// Steps no page covers (configuration, holding the session, archiving) use the API; the
// facilitator's desk is tested in microsite.test.mjs. Every main page is photographed at
// 1280 and 390 px and checked with axe; every JSON answer is checked against its OpenAPI
// schema; any CSP violation or script error fails.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiClient } from './support/api.mjs';
import { roomLeftInTheDay, spanishDate, todayInMexico } from './support/dates.mjs';
import { accessibilityViolations, launch, Person, screenshots } from './support/browser.mjs';
import { makeEfirma } from './support/certs.mjs';
import { csvRecords, parseCsv } from './support/csv.mjs';
import { pdfsig, qpdfCheck, timestampVerify } from './support/pdfsig.mjs';
import { repoRoot, RubricaServer, tempDir } from './support/server.mjs';

const LONG = 120_000;
const SAT = path.join(repoRoot, 'tests/fixtures/efirma-sat-pruebas');
// A 1×1 PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

function actaContent(secretariat, date) {
  const blocks = [
    { type: 'paragraph', text: `En la ciudad de San Lorenzo del Valle, el ${date}, se reunieron las personas integrantes del **Secretariado**.` },
  ];
  for (let i = 1; i <= 9; i++) {
    blocks.push({
      type: 'section',
      title: `Punto ${i} del orden del día`,
      blocks: [
        {
          type: 'paragraph',
          text:
            'Las personas integrantes revisaron los compromisos del plan de acción, los avances reportados por las dependencias ' +
            'y las propuestas recibidas de la ciudadanía durante el periodo, y acordaron darles seguimiento puntual en la ' +
            'siguiente sesión ordinaria, con la publicación de los resultados en el micrositio del secretariado.',
        },
        { type: 'list', items: ['Se aprueba por consenso.', 'Se publica en el micrositio.', 'Se da seguimiento en la siguiente sesión.'] },
      ],
    });
  }
  blocks.push({ type: 'closing', text: 'No habiendo más asuntos que tratar, se cierra la sesión.' });
  return {
    format: 1,
    id: `stm-san-lorenzo-${date}-instalacion`,
    kind: 'instalacion',
    secretariat,
    title: 'ACTA DE INSTALACIÓN DEL SECRETARIADO TÉCNICO MUNICIPAL DE SAN LORENZO DEL VALLE',
    place_date: `San Lorenzo del Valle, Michoacán, a ${date}`,
    blocks,
  };
}

describe('members sign an acta in the browser', { timeout: 32 * 60_000 }, () => {
  const mismatches = [];
  const work = tempDir('e2e');
  const dataDir = path.join(work, 'data');
  const ximena = { email: 'ximena.torres@ejemplo.invalid', password: 'Ximena-contraseña-2026', keyPassword: 'llave de Ximena 2026' };
  const mariana = { email: 'mariana.ortiz@ejemplo.invalid', password: 'Mariana-contraseña-2026', pin: '739214', newPin: '846035' };
  const paula = { email: 'paula.esquivel@ejemplo.invalid', password: 'Paula-contraseña-2026' };
  const admin = { password: 'Administración-2026!' };
  let efirma;
  let server;
  let browser;
  let api; // the administrator, then the facilitator
  let facilitator;
  let secretariat;
  let acta;
  let session; // the installation session the acta records
  let sealed; // the archive's sealed PDF, as the archivist downloaded it
  const people = {};
  const report = []; // pages photographed and checked

  async function check(person, name) {
    await screenshots(person.page, name);
    const violations = await accessibilityViolations(person.page);
    assert.deepEqual(violations, [], `accessibility of ${name}`);
    report.push(name);
  }

  before(async () => {
    await roomLeftInTheDay(12);
    // The member's e.firma from a test CA, trusted by the service from its first start.
    efirma = makeEfirma(path.join(work, 'efirma'), {
      name: 'Ximena Torres Luna',
      rfc: 'TOLX800101AB1',
      curp: 'TOLX800101MMNRNA09',
      email: ximena.email,
      password: ximena.keyPassword,
    });
    fs.mkdirSync(path.join(dataDir, 'trust/anchors'), { recursive: true, mode: 0o700 });
    fs.chmodSync(dataDir, 0o700);
    fs.copyFileSync(efirma.caPem, path.join(dataDir, 'trust/anchors/ac-pruebas.pem'));
    server = await RubricaServer.start(dataDir);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    const exit = await server?.stop();
    if (exit) assert.equal(exit.code, 0, `rubrica serve exit: ${server.stderr}`);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('the administrator opens the printed link and sets a password', async () => {
    const link = server.adminLink();
    assert.match(link, /\/invitacion\?token=/);
    const p = await Person.open(browser, 'admin', mismatches);
    await p.page.goto(link);
    await p.page.getByRole('heading', { name: 'Active su cuenta' }).waitFor();
    await check(p, 'invitacion');
    await p.page.getByLabel('Contraseña nueva').fill(admin.password);
    await p.page.getByLabel('Repita la contraseña').fill(admin.password);
    await p.page.getByLabel(/No firmo actas/).check();
    await p.page.getByRole('button', { name: 'Activar mi cuenta' }).click();
    await p.page.getByText('Su cuenta administra esta instalación').waitFor({ timeout: LONG });
    assert.equal(new URL(p.page.url()).pathname, '/');
    assert.deepEqual(p.problems, []);
    await p.close();
    api = await ApiClient.login(server.url, mismatches, 'admin', admin.password);
  });

  it('the administrator configures a secretariat and invites its people (API)', async () => {
    const today = todayInMexico();
    secretariat = await api.post('/api/secretariats', {
      template: 'stm',
      name: 'Secretariado Técnico Municipal de Gobierno Abierto de San Lorenzo del Valle',
      place: 'San Lorenzo del Valle, Michoacán',
      administration_ends: `${Number(today.slice(0, 4)) + 2}-08-31`,
      // The installation session is held the day it is convened.
      extraordinary_notice_business_days: 0,
    });
    const sid = secretariat.id;
    for (const [key, p] of Object.entries({
      paula: { full_name: 'Paula Esquivel Duarte', title: 'Facilitadora', email: paula.email },
      mariana: { full_name: 'Mariana Ortiz Rangel', title: 'Directora de Transparencia', email: mariana.email },
      ximena: { full_name: 'Ximena Torres Luna', title: 'Comisionada', email: ximena.email },
    })) {
      people[key] = (await api.post('/api/people', p)).person_id;
    }
    // Ximena holds the organismo garante's seat: she signs the acta and then reads it on the garante's board.
    const authority = secretariat.member_types.map((t) => t.code).find((c) => c !== secretariat.garante_member_type);
    const seat1 = (await api.post(`/api/secretariats/${sid}/seats`, { member_type: authority, represents: 'Ayuntamiento' })).seat_id;
    const seat2 = (await api.post(`/api/secretariats/${sid}/seats`, { member_type: secretariat.garante_member_type, represents: 'Instituto de Transparencia del Estado' })).seat_id;
    await api.post(`/api/secretariats/${sid}/terms`, { person_id: people.mariana, role: 'titular', seat_id: seat1, starts_on: today });
    await api.post(`/api/secretariats/${sid}/terms`, { person_id: people.ximena, role: 'titular', seat_id: seat2, starts_on: today });
    await api.post(`/api/secretariats/${sid}/terms`, { person_id: people.paula, role: 'facilitator', starts_on: today });
    for (const key of ['paula', 'mariana', 'ximena']) {
      await api.post('/api/accounts', { email: { paula, mariana, ximena }[key].email, person_id: people[key] });
    }
    // The facilitator's desk is a later page: she accepts through the API.
    const token = new URL(server.outboxLink(paula.email)).searchParams.get('token');
    await api.post('/api/invitations/accept', { token, password: paula.password, pin: '582913' });
    facilitator = await ApiClient.login(server.url, mismatches, paula.email, paula.password);
  });

  it('a member accepts the invitation from the e-mail, choosing a PIN', async () => {
    const link = server.outboxLink(mariana.email);
    const p = (people.marianaBrowser = await Person.open(browser, 'mariana', mismatches));
    await p.page.goto(link);
    await p.page.getByLabel('Contraseña nueva').fill(mariana.password);
    await p.page.getByLabel('Repita la contraseña').fill(mariana.password);
    await p.page.getByLabel(/Con un PIN de firma/).check();
    await p.page.getByLabel('PIN de firma', { exact: true }).fill(mariana.pin);
    await p.page.getByLabel('Repita el PIN').fill(mariana.pin);
    await p.page.getByRole('button', { name: 'Activar mi cuenta' }).click();
    await p.page.getByRole('heading', { name: 'Mis pendientes' }).waitFor({ timeout: LONG });
    await p.page.getByText('No tiene pendientes.').waitFor();
  });

  it('another member accepts choosing her e.firma; an expired certificate is refused before anything is sent', async () => {
    const link = server.outboxLink(ximena.email);
    const p = (people.ximenaBrowser = await Person.open(browser, 'ximena', mismatches));
    await p.page.goto(link);
    await p.page.getByLabel('Contraseña nueva').fill(ximena.password);
    await p.page.getByLabel('Repita la contraseña').fill(ximena.password);
    await p.page.getByLabel(/Con mi e.firma/).check();
    const sent = p.requests.length;
    await p.page.getByLabel('Certificado de su e.firma (.cer)').setInputFiles(path.join(SAT, 'certificate.cer'));
    await p.page.getByText('venció el 15 de mayo de 2021').waitFor();
    assert.equal(p.requests.length, sent, 'nothing is sent for an expired certificate');
    await p.page.getByLabel('Certificado de su e.firma (.cer)').setInputFiles(efirma.cer);
    await p.page.getByText('Certificado de Ximena Torres Luna').waitFor();
    await check(p, 'invitacion-efirma');
    await p.page.getByRole('button', { name: 'Activar mi cuenta' }).click();
    await p.page.getByRole('heading', { name: 'Mis pendientes' }).waitFor({ timeout: LONG });
    await p.page.goto(`${server.url}/mi-firma`);
    await p.page.getByText('Certificado cuya llave guarda usted').waitFor();
    await check(p, 'mi-firma');
  });

  it('the member who forgot her PIN registers a new one from a re-enrolment link, before the acta binds her key', async () => {
    const issued = await facilitator.post(`/api/people/${people.mariana}/reenrolment`);
    assert.equal(issued.person_id, people.mariana);
    assert.ok(Date.parse(issued.expires_at) > Date.now());
    const link = await server.waitForOutboxLink(mariana.email, '/reinscripcion');
    // Another device: she logs in on the page, then stays on it.
    const p = await Person.open(browser, 'mariana-otro-equipo', mismatches);
    await p.page.goto(link);
    await p.page.getByRole('heading', { name: 'Registrar de nuevo su firma' }).waitFor();
    await p.page.getByLabel('Correo electrónico o usuario').fill(mariana.email);
    await p.page.getByLabel('Contraseña', { exact: true }).fill(mariana.password);
    await p.page.getByRole('button', { name: 'Entrar' }).click();
    await p.page.getByRole('group', { name: '¿Cómo firmará las actas a partir de ahora?' }).waitFor({ timeout: LONG });
    await check(p, 'reinscripcion');
    await p.page.getByLabel(/Con un nuevo PIN de firma/).check();
    const sent = p.requests.length;
    await p.page.getByLabel('PIN de firma', { exact: true }).fill(mariana.newPin);
    await p.page.getByLabel('Repita el PIN').fill('000000');
    await p.page.getByRole('button', { name: 'Registrar mi nueva firma' }).click();
    await p.page.getByRole('alert').getByText('Los dos PIN no coinciden.').waitFor();
    assert.equal(p.requests.length, sent, 'PINs that differ are refused before any request');
    await p.page.getByLabel('Repita el PIN').fill(mariana.newPin);
    await p.page.getByRole('button', { name: 'Registrar mi nueva firma' }).click();
    await p.page.getByText('Su nueva firma quedó registrada.').waitFor({ timeout: LONG });
    // The link served once.
    await p.page.reload();
    await p.page.getByLabel('PIN de firma', { exact: true }).fill(mariana.newPin);
    await p.page.getByLabel('Repita el PIN').fill(mariana.newPin);
    await p.page.getByRole('button', { name: 'Registrar mi nueva firma' }).click();
    await p.page.getByRole('alert').getByText(/Este enlace para registrar de nuevo su firma no es válido/).waitFor({ timeout: LONG });
    assert.deepEqual(p.problems, []);
    await p.close();
  });

  it('the facilitator holds the installation session and drafts its acta, in review; a member comments in the page', async () => {
    // The session, today, a few minutes ahead (API: the desk's record is tested in microsite.test.mjs).
    const start = new Date(Date.now() - 6 * 3600 * 1000 + 5 * 60 * 1000).toISOString().slice(0, 16);
    session = (
      await facilitator.post(`/api/secretariats/${secretariat.id}/sessions`, {
        kind: 'extraordinary',
        starts_at: `${start}:00-06:00`,
        place: 'Sala de Cabildo',
        agenda: ['Lista de asistencia', 'Instalación del secretariado'],
      })
    ).session;
    for (const person_id of [people.mariana, people.ximena]) await facilitator.post(`/api/sessions/${session.id}/attendance`, { person_id });
    await facilitator.post(`/api/sessions/${session.id}/opening`);
    await facilitator.post(`/api/sessions/${session.id}/closing`);
    acta = await facilitator.post(`/api/secretariats/${secretariat.id}/actas`, {
      kind: 'installation',
      session_id: session.id,
      title: 'Acta de instalación del Secretariado Técnico Municipal de San Lorenzo del Valle',
      content: actaContent(secretariat.name, session.session_date),
    });
    assert.equal(acta.acta_date, session.session_date);
    await facilitator.post(`/api/actas/${acta.id}/review`);
    const p = people.marianaBrowser;
    await p.page.goto(`${server.url}/pendientes`);
    await p.page.getByRole('heading', { name: `Revise el borrador del acta «${acta.title}» y, si lo desea, coméntelo` }).waitFor();
    await p.page.getByRole('link', { name: 'Revisar y comentar el borrador' }).click();
    await p.page.getByRole('heading', { name: /Revisión del borrador/ }).waitFor();
    await p.page.getByLabel('Su comentario sobre esta versión').fill('Sugiero precisar la hora de cierre.');
    await p.page.getByRole('button', { name: 'Enviar comentario' }).click();
    await p.page.getByText('Comentario enviado.').waitFor();
    await p.page.getByText('Sugiero precisar la hora de cierre.', { exact: true }).waitFor();
    await check(p, 'acta-revision');
    acta = await facilitator.post(`/api/actas/${acta.id}/approval`, {
      votes: [people.mariana, people.ximena].map((person_id) => ({ person_id, choice: 'yes' })),
    });
    assert.equal(acta.state, 'rubric');
  });

  // Goes through every page of the acta in the viewer, by keyboard.
  async function readEveryPage(page) {
    const progress = page.locator('.progress');
    await progress.waitFor({ timeout: LONG });
    const total = Number(/de (\d+) ·/.exec(await progress.innerText())[1]);
    assert.ok(total >= 2, `the acta has ${total} pages`);
    // A page counts as seen once it was drawn: wait for that before moving on, as a reader would.
    const drawn = (n) => page.getByRole('navigation', { name: 'Hojas del acta' }).getByRole('button', { name: `${n} (vista)` }).waitFor({ timeout: LONG });
    await drawn(1);
    const next = page.getByRole('button', { name: 'Hoja siguiente →' });
    for (let i = 1; i < total; i++) {
      await next.focus();
      await page.keyboard.press('Enter');
      await progress.filter({ hasText: `Hoja ${i + 1} de ${total}` }).waitFor();
      await drawn(i + 1);
    }
    await progress.filter({ hasText: `ha visto ${total} de ${total}` }).waitFor();
    return total;
  }

  it('the member with a PIN sees the acta in "Mis pendientes", goes through every page and rubricates', async () => {
    const p = people.marianaBrowser;
    await p.page.goto(`${server.url}/pendientes`);
    // The server's tasks: the rubric, due the day of the approval (today), and the foot
    // signature after it, not actionable yet.
    const secretariatTasks = p.page.getByRole('region', { name: secretariat.name });
    const rubricTask = secretariatTasks.getByRole('listitem').filter({ has: p.page.getByRole('heading', { name: `Rubrique todas las hojas del acta «${acta.title}»` }) });
    await rubricTask.getByText(`Fecha límite: hoy, ${spanishDate(todayInMexico())} (el día de la aprobación)`).waitFor();
    const footTask = secretariatTasks.getByRole('listitem').filter({ has: p.page.getByRole('heading', { name: `Firme al calce el acta «${acta.title}»` }) });
    await footTask.getByText('después de rubricar').waitFor();
    assert.equal(await footTask.getByRole('link').count(), 0, 'the foot signature waits for the rubrics');
    await check(p, 'pendientes');
    await rubricTask.getByRole('link', { name: 'Rubricar las hojas del acta' }).click();
    const sign = p.page.getByRole('button', { name: 'Rubricar todas las hojas' });
    await sign.waitFor({ timeout: LONG });
    await p.page.locator('.progress').waitFor({ timeout: LONG });
    assert.equal(await sign.isDisabled(), true, 'the rubric waits until every page was seen');
    await check(p, 'acta-rubrica');
    await readEveryPage(p.page);
    // The acta was approved after her re-enrolment: it expects the new key, so the old PIN does not open it.
    await p.page.getByLabel('PIN de firma', { exact: true }).fill(mariana.pin);
    await sign.click();
    await p.page.getByRole('alert').getByText('El PIN de firma no es correcto.').waitFor({ timeout: LONG });
    await p.page.getByLabel('PIN de firma', { exact: true }).fill(mariana.newPin);
    assert.equal(await sign.isDisabled(), false);
    await sign.click();
    await p.page.getByText('Su rúbrica quedó registrada').waitFor({ timeout: LONG });
    // Her rubric done, "Mis pendientes" keeps only the foot signature, still after the rubrics of the others.
    await p.page.goto(`${server.url}/pendientes`);
    const footOnly = p.page.getByRole('listitem').filter({ has: p.page.getByRole('heading', { name: `Firme al calce el acta «${acta.title}»` }) });
    await footOnly.getByText('después de rubricar').waitFor();
    assert.equal(await p.page.getByRole('heading', { name: /Rubrique/ }).count(), 0, 'the rubric task is gone');
    assert.deepEqual(p.problems, []);
  });

  it('the member with an e.firma is refused the SAT test e.firma in the browser, then rubricates with hers', async () => {
    const p = people.ximenaBrowser;
    await p.page.goto(`${server.url}/actas/${acta.id}`);
    await readEveryPage(p.page);
    const sent = p.requests.length;
    await p.page.getByLabel('Certificado (.cer)').setInputFiles(path.join(SAT, 'certificate.cer'));
    await p.page.getByLabel('Llave privada (.key)').setInputFiles(path.join(SAT, 'private_key.key'));
    await p.page.getByLabel('Contraseña de la llave privada').fill(fs.readFileSync(path.join(SAT, 'password.txt'), 'utf8').trim());
    await p.page.getByRole('button', { name: 'Rubricar todas las hojas' }).click();
    await p.page.getByRole('alert').getByText('venció el 15 de mayo de 2021').waitFor();
    assert.equal(p.requests.length, sent, 'the expired e.firma is refused before any request');
    await check(p, 'acta-efirma-vencida');
    // A key that is not the certificate's, with the right certificate: refused too.
    await p.page.getByLabel('Certificado (.cer)').setInputFiles(efirma.cer);
    await p.page.getByLabel('Contraseña de la llave privada').fill(fs.readFileSync(path.join(SAT, 'password.txt'), 'utf8').trim());
    await p.page.getByRole('button', { name: 'Rubricar todas las hojas' }).click();
    await p.page.getByRole('alert').getByText('no corresponde al certificado').waitFor();
    assert.equal(p.requests.length, sent, 'a mismatched key is refused before any request');
    // Her own e.firma.
    await p.page.getByLabel('Llave privada (.key)').setInputFiles(efirma.key);
    await p.page.getByLabel('Contraseña de la llave privada').fill(ximena.keyPassword);
    await p.page.getByRole('button', { name: 'Rubricar todas las hojas' }).click();
    await p.page.getByText('Su rúbrica quedó registrada').waitFor({ timeout: LONG });
    assert.deepEqual(p.problems, []);
  });

  it('both sign at the foot: one with the new PIN, the other with her e.firma', async () => {
    const m = people.marianaBrowser;
    await m.page.goto(`${server.url}/pendientes`);
    await m.page.getByRole('link', { name: 'Firmar al calce' }).click();
    await m.page.getByLabel('PIN de firma', { exact: true }).fill(mariana.newPin);
    await m.page.getByRole('button', { name: 'Firmar al calce' }).click();
    await m.page.getByText('Su firma al calce quedó registrada').waitFor({ timeout: LONG });
    const x = people.ximenaBrowser;
    await x.page.goto(`${server.url}/actas/${acta.id}`);
    await x.page.getByRole('button', { name: 'Firmar al calce' }).waitFor({ timeout: LONG });
    await x.page.locator('.progress').waitFor({ timeout: LONG });
    await check(x, 'acta-firma-al-calce');
    await x.page.getByLabel('Certificado (.cer)').setInputFiles(efirma.cer);
    await x.page.getByLabel('Llave privada (.key)').setInputFiles(efirma.key);
    await x.page.getByLabel('Contraseña de la llave privada').fill(ximena.keyPassword);
    await x.page.getByRole('button', { name: 'Firmar al calce' }).click();
    await x.page.getByText('Su firma al calce quedó registrada').waitFor({ timeout: LONG });
    await x.page.getByText('Firmas completas').waitFor();
    assert.deepEqual(x.problems, []);
    assert.deepEqual(m.problems, []);
  });

  it('the e.firma member\'s network log shows neither her key nor its password, and nothing left 127.0.0.1', async () => {
    const x = people.ximenaBrowser;
    const keyFiles = [fs.readFileSync(efirma.key), fs.readFileSync(path.join(SAT, 'private_key.key'))];
    const secrets = [ximena.keyPassword, fs.readFileSync(path.join(SAT, 'password.txt'), 'utf8').trim()];
    const needles = [];
    for (const k of keyFiles) {
      needles.push(k.toString('base64'), k.toString('hex'), k.subarray(0, 64).toString('base64'), k.subarray(100, 164));
    }
    for (const s of secrets) needles.push(s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1));
    let withBody = 0;
    for (const r of x.requests) {
      const u = new URL(r.url);
      assert.equal(u.hostname, '127.0.0.1', `a request left the machine: ${r.url}`);
      const haystacks = [Buffer.from(r.url)];
      if (r.body) {
        haystacks.push(r.body);
        withBody++;
      }
      for (const h of haystacks) {
        for (const n of needles) {
          assert.equal(h.includes(typeof n === 'string' ? Buffer.from(n) : n), false, `${r.method} ${r.url} carries a secret`);
        }
      }
    }
    assert.ok(withBody >= 4, `the log holds the signing requests (${withBody} with a body)`);
    assert.ok(x.requests.some((r) => r.url.endsWith(`/api/actas/${acta.id}/sign/finalize`)), 'finalize was sent');
  });

  it('the facilitator archives the acta and publishes the microsite\'s contact, a photograph, a communiqué and a plan (API)', async () => {
    acta = await facilitator.post(`/api/actas/${acta.id}/archive`);
    assert.equal(acta.state, 'archived');
    assert.ok(acta.folio);
    const sid = secretariat.id;
    const today = todayInMexico();
    await facilitator.post(`/api/secretariats/${sid}/microsite/profile`, {
      email: 'gobiernoabierto@san-lorenzo.example.org',
      phone: '443 000 0000',
      address: 'Portal Hidalgo 1, Centro, San Lorenzo del Valle',
      hours: 'Lunes a viernes, de 9:00 a 15:00 h',
      links: [{ title: 'Portal de transparencia del municipio', url: 'https://transparencia.san-lorenzo.example.org/' }],
    });
    await facilitator.post(`/api/secretariats/${sid}/microsite/items`, {
      kind: 'photo',
      title: 'Instalación del secretariado',
      published_on: today,
      description: 'Las personas integrantes en la sesión de instalación.',
      file: PNG,
      content_type: 'image/png',
    });
    await facilitator.post(`/api/secretariats/${sid}/microsite/items`, {
      kind: 'communique',
      title: 'Comunicado: se instala el secretariado',
      published_on: today,
      url: 'https://comunicacion.san-lorenzo.example.org/instalacion',
    });
    // A commitment a spreadsheet would run as a formula: the open data must neutralise it.
    const plan = await facilitator.post(`/api/secretariats/${sid}/plans`, { title: 'Plan de Acción Municipal' });
    await facilitator.post(`/api/plans/${plan.id}/commitments`, { title: '=2+3 presupuesto abierto' });
  });

  it('the garante sees that acta complete seat by seat, on one date, and the month on time', async () => {
    // Ximena holds the garante's seat: the browser she signed with, already logged in.
    const g = people.ximenaBrowser;
    await g.page.goto(`${server.url}/garante`);
    await g.page.getByRole('heading', { name: new RegExp(`^${secretariat.name}: `) }).waitFor({ timeout: LONG });
    await g.page.getByRole('link', { name: acta.title }).waitFor();
    await g.page.getByText('Completa y sellada').waitFor();
    await g.page.getByText('Todas las firmas en la misma fecha').waitFor();
    const table = g.page.getByRole('table', { name: `Firmas de «${acta.title}», asiento por asiento` });
    for (const name of ['Mariana Ortiz Rangel', 'Ximena Torres Luna']) {
      const row = table.getByRole('row').filter({ hasText: name });
      await row.getByText('Titular').waitFor();
      await row.getByText('Rubricada').waitFor();
      await row.getByText('Firmada').waitFor();
    }
    assert.equal(await table.getByText('Pendiente').count(), 0);
    // The month is on time: the acta's delivery is listed, due later, and nothing of the month is late.
    await g.page.getByRole('heading', { name: 'Entregas al órgano garante' }).waitFor();
    const deliveries = g.page.getByRole('list', { name: /^Entregas de / });
    const delivery = deliveries.getByRole('listitem').filter({ hasText: acta.title });
    assert.equal(await delivery.count(), 1, 'the acta is due this month');
    await delivery.getByText('Pendiente', { exact: true }).waitFor();
    const dueOn = (await delivery.locator('.meta').textContent()).match(/Vence el (\d+ de \S+ de \d+)/)?.[1];
    assert.ok(dueOn, 'the due date is shown');
    assert.equal(await deliveries.getByText(/^(Atrasada|Entregada con atraso)$/).count(), 0, 'nothing of the month is late');
    // No package built for the month yet: the board says so, with its due date.
    await g.page.getByRole('heading', { name: 'Paquetes mensuales y acuses' }).waitFor();
    await g.page.getByText(/^Aún no se genera el paquete de .* \(vence el \d+ de /).waitFor();
    await check(g, 'garante');
    assert.deepEqual(g.problems, []);
  });

  it('the archivist finds it and downloads the certified copy', async () => {
    const archived = acta;
    const archivist = { email: 'archivo.sanlorenzo@ejemplo.invalid', password: 'Archivo-contraseña-2026' };
    await api.post('/api/accounts', { email: archivist.email, grants: [{ role: 'archivist', secretariat_id: secretariat.id }] });
    const token = new URL(await server.waitForOutboxLink(archivist.email, '/invitacion')).searchParams.get('token');
    await api.post('/api/invitations/accept', { token, password: archivist.password });
    const p = await Person.open(browser, 'archivista', mismatches);
    await p.page.goto(`${server.url}/?siguiente=/archivo`);
    await p.page.getByLabel('Correo electrónico o usuario').fill(archivist.email);
    await p.page.getByLabel('Contraseña', { exact: true }).fill(archivist.password);
    await p.page.getByRole('button', { name: 'Entrar' }).click();
    await p.page.getByRole('heading', { name: 'Archivo de actas', level: 1 }).waitFor({ timeout: LONG });
    // By secretariat, the day, the kind, a word of the title and the e.firma signer's RFC.
    const today = todayInMexico();
    await p.page.getByLabel('Secretariado').selectOption({ label: secretariat.name });
    await p.page.getByLabel('Tipo de acta').selectOption({ label: 'Acta de instalación' });
    await p.page.getByLabel('Desde (fecha del acta)').fill(today);
    await p.page.getByLabel('Hasta (fecha del acta)').fill(today);
    await p.page.getByLabel('Palabra del título').fill('instalación');
    await p.page.getByLabel('Persona firmante').fill('TOLX800101AB1');
    await p.page.getByRole('button', { name: 'Buscar actas' }).click();
    await p.page.getByText('Se muestra 1 acta.').waitFor({ timeout: LONG });
    const hit = p.page.getByRole('listitem').filter({ has: p.page.getByRole('heading', { name: acta.title }) });
    await hit.getByText('Archivada', { exact: true }).waitFor();
    await hit.getByText(archived.folio, { exact: false }).first().waitFor();
    await check(p, 'archivo');
    // A signer who did not sign it finds nothing.
    await p.page.getByLabel('Persona firmante').fill('AAA010101AAA');
    await p.page.getByRole('button', { name: 'Buscar actas' }).click();
    await p.page.getByText('Ninguna acta coincide con la búsqueda.').waitFor({ timeout: LONG });
    await p.page.getByLabel('Persona firmante').fill('Ximena Torres');
    await p.page.getByRole('button', { name: 'Buscar actas' }).click();
    await p.page.getByText('Se muestra 1 acta.').waitFor({ timeout: LONG });

    const downloads = p.page.getByRole('list', { name: `Descargas de «${acta.title}»` });
    const fetchDownload = async (name) => {
      const [dl] = await Promise.all([p.page.waitForEvent('download'), downloads.getByRole('link', { name }).click()]);
      const file = path.join(work, dl.suggestedFilename());
      await dl.saveAs(file);
      return file;
    };
    const sealedFile = await fetchDownload('PDF sellado');
    sealed = fs.readFileSync(sealedFile);
    assert.equal(sealed.subarray(0, 5).toString(), '%PDF-');
    const digest = crypto.createHash('sha256').update(sealed).digest('hex');
    await hit.getByText(digest, { exact: true }).waitFor(); // the SHA-256 the hit shows is the sealed PDF's
    const zipFile = await fetchDownload('Copia certificada (ZIP)');
    const zip = fs.readFileSync(zipFile);
    assert.equal(zip.subarray(0, 4).toString('binary'), 'PK\x03\x04', 'the certified copy is a ZIP');
    const entries = execFileSync('unzip', ['-Z1', zipFile], { encoding: 'utf8' }).split('\n').filter(Boolean);
    assert.ok(entries.includes(`${archived.folio}.pdf`), `the ZIP holds the sealed PDF: ${entries.join(', ')}`);
    const inZip = execFileSync('unzip', ['-p', zipFile, `${archived.folio}.pdf`], { maxBuffer: 64 << 20 });
    assert.ok(inZip.equals(sealed), 'the sealed PDF in the certified copy is the archive\'s');
    // The same acta, judged by tools we did not write: every signature of the copy's PDF
    // valid and trusted (the installation's CA and the e.firma's test CA), no damage.
    const copyPdf = path.join(work, `copia-${archived.folio}.pdf`);
    fs.writeFileSync(copyPdf, inZip);
    const judged = pdfsig(copyPdf, [path.join(dataDir, 'trust/ca.pem'), efirma.caPem], work);
    assert.equal(judged.unsignedFields, 0, judged.output);
    // The certification and each member's rubric and foot signature (CAdES), then the
    // archive's seal: a document timestamp, which pdfsig cannot validate, so `openssl ts
    // -verify` judges it against the bytes it covers.
    const cades = judged.signatures.filter((s) => s.type === 'ETSI.CAdES.detached');
    assert.deepEqual(cades.map((s) => s.field).sort(), ['certificacion', 'firma_1', 'firma_2', 'rubrica_1', 'rubrica_2']);
    for (const s of cades) assert.ok(s.valid && s.trusted, `pdfsig: ${s.field} is not valid and trusted\n${judged.output}`);
    const seals = judged.signatures.filter((s) => s.type !== 'ETSI.CAdES.detached');
    assert.deepEqual(seals.map((s) => s.field), ['sello_archivo'], judged.output);
    const seal = timestampVerify(copyPdf, seals[0].ranges, path.join(dataDir, 'trust/ca.pem'), work);
    assert.equal(seal.code, 0, `openssl ts -verify on sello_archivo: ${seal.output}`);
    assert.match(seal.output, /Verification: OK/);
    const damage = qpdfCheck(copyPdf);
    assert.equal(damage.code, 0, damage.output);
    // Not delivered yet: no receipt to offer.
    assert.equal(await downloads.getByRole('link', { name: 'Acuse de entrega' }).count(), 0);
    // Every revision of the PDF can be downloaded from the hit.
    await hit.getByText(/Revisiones del PDF \(\d+\)/).click();
    const revisions = hit.getByRole('link', { name: /ronda 1/ });
    assert.ok((await revisions.count()) >= 2, 'the certified version and the signed revisions are offered');
    assert.deepEqual(p.problems, []);
    await p.close();
  });

  it('the public finds it on the microsite, downloads it and the open data, and verifies it on the public page', async () => {
    const p = await Person.open(browser, 'public', mismatches);
    const download = async (link) => {
      const [dl] = await Promise.all([p.page.waitForEvent('download'), link.click()]);
      return fs.readFileSync(await dl.path());
    };
    await p.page.goto(`${server.url}/`);
    await p.page.getByRole('link', { name: secretariat.name }).waitFor();
    await check(p, 'inicio');
    await p.page.getByRole('link', { name: secretariat.name }).click();
    await p.page.getByRole('heading', { name: secretariat.name, level: 1 }).waitFor();
    const actas = p.page.getByRole('list', { name: 'Actas archivadas' });
    await actas.getByRole('link', { name: acta.title, exact: true }).waitFor();
    await actas.getByText(`folio ${acta.folio}`, { exact: false }).waitFor();
    await p.page.getByText('Portal Hidalgo 1, Centro, San Lorenzo del Valle').waitFor();
    await p.page.getByRole('img', { name: 'Instalación del secretariado' }).waitFor();
    await p.page.getByText('Comunicado: se instala el secretariado', { exact: true }).waitFor();
    await check(p, 'micrositio');
    // The acta's PDF from the microsite is the archive's.
    const pdf = await download(actas.getByRole('link', { name: `Descargar el PDF de «${acta.title}»` }));
    assert.ok(pdf.equals(sealed), 'the microsite offers the sealed PDF the archivist downloaded');
    const pdfPath = path.join(work, 'acta-del-micrositio.pdf');
    fs.writeFileSync(pdfPath, pdf);

    // Open data: the installation session is in the sessions' CSV and JSON; the commitments'
    // CSV is RFC 4180 with the formula neutralised; the licence is given.
    const sessionsCsv = csvRecords((await download(p.page.getByRole('link', { name: 'CSV de Sesiones' }))).toString('utf8'));
    const row = sessionsCsv.find((r) => r.session_id === String(session.id));
    assert.ok(row, `the session ${session.id} is in the sessions' CSV`);
    assert.equal(row.session_date, session.session_date);
    assert.equal(row.kind, 'extraordinary');
    assert.equal(row.place, 'Sala de Cabildo');
    const sessionsJson = JSON.parse((await download(p.page.getByRole('link', { name: 'JSON de Sesiones' }))).toString('utf8'));
    assert.equal(sessionsJson.licence, 'CC-BY-4.0');
    assert.match(sessionsJson.licence_url, /creativecommons\.org\/licenses\/by\/4\.0/);
    const jsonRow = sessionsJson.rows.find((r) => r.session_id === session.id);
    assert.ok(jsonRow, `the session ${session.id} is in the sessions' JSON`);
    assert.equal(jsonRow.session_date, session.session_date);
    assert.equal(jsonRow.status, 'closed');
    const attendance = csvRecords((await download(p.page.getByRole('link', { name: 'CSV de Asistencia' }))).toString('utf8'));
    assert.deepEqual(
      attendance.filter((r) => r.session_id === String(session.id) && r.role === 'seat').map((r) => r.represents).sort(),
      ['Ayuntamiento', 'Instituto de Transparencia del Estado'],
    );
    const commitments = parseCsv((await download(p.page.getByRole('link', { name: 'CSV de Compromisos del plan de acción' }))).toString('utf8'));
    assert.deepEqual(commitments[0], ['plan_id', 'plan_title', 'commitment_id', 'commitment_title', 'commitment_progress', 'activity_id', 'activity_title', 'activity_due_on', 'activity_progress']);
    assert.equal(commitments.length, 2);
    assert.equal(commitments[1][3], "'=2+3 presupuesto abierto", 'a formula is neutralised');
    const commitmentsJson = JSON.parse((await download(p.page.getByRole('link', { name: 'JSON de Compromisos del plan de acción' }))).toString('utf8'));
    assert.equal(commitmentsJson.licence, 'CC-BY-4.0');
    assert.equal(commitmentsJson.rows[0].commitment_title, '=2+3 presupuesto abierto');

    // The acta's verification report, from its link on the microsite.
    await actas.getByRole('link', { name: `Ver el informe de verificación de «${acta.title}»` }).click();
    await p.page.getByText(`Verificación del acta ${acta.folio}`).waitFor({ timeout: LONG });
    await p.page.getByText('La huella de su copia coincide').waitFor();

    // The downloaded PDF on the public verification page.
    await p.page.goto(`${server.url}/verificar`);
    await check(p, 'verificar');
    await p.page.getByLabel('Acta en PDF').setInputFiles(pdfPath);
    await p.page.getByRole('button', { name: 'Verificar' }).click();
    await p.page.getByRole('heading', { name: 'Resultado' }).waitFor({ timeout: LONG });
    await p.page.getByText('Completas', { exact: true }).waitFor();
    assert.match(await p.page.locator('.report-verdict').innerText(), /válid/i);
    assert.equal((await p.page.getByText('Ximena Torres Luna').count()) > 0, true);
    assert.equal((await p.page.getByText('Mariana Ortiz Rangel').count()) > 0, true);
    await check(p, 'verificar-resultado');

    // The data dictionary, linked from the microsite.
    await p.page.goto(`${server.url}/secretariados/${secretariat.id}#datos`);
    await p.page.getByRole('link', { name: 'diccionario de datos' }).click();
    await p.page.getByRole('heading', { name: 'Diccionario de datos abiertos' }).waitFor();
    await p.page.getByRole('heading', { name: /Compromisos del plan de acción/ }).waitFor();
    await check(p, 'datos-abiertos');
    assert.deepEqual(p.problems, []);
    await p.close();
  });

  it('the public files a complaint on the microsite and looks it up by its folio', async () => {
    const p = await Person.open(browser, 'queja', mismatches);
    await p.page.goto(`${server.url}/secretariados/${secretariat.id}`);
    await p.page.getByRole('link', { name: 'Escribir al secretariado' }).click();
    await p.page.getByRole('heading', { name: 'Preguntas, quejas y sugerencias' }).waitFor();
    await check(p, 'buzon');
    await p.page.getByLabel('Una queja').check();
    await p.page.getByLabel('Su mensaje').fill(`El acta ${acta.folio} no menciona la hora de cierre de la sesión.`);
    await p.page.getByRole('button', { name: 'Enviar mensaje' }).click();
    const shown = p.page.getByTestId('folio');
    await shown.waitFor({ timeout: LONG });
    const folio = (await shown.textContent()).trim();
    assert.match(folio, /^QUE-\d{6}-[0-9A-Z]{8}$/);
    // Later, from the microsite's link to look a folio up, typing it.
    await p.page.goto(`${server.url}/secretariados/${secretariat.id}`);
    await p.page.getByRole('link', { name: 'Consultar un folio' }).click();
    await p.page.getByLabel('Folio de seguimiento').fill(folio);
    await p.page.getByRole('button', { name: 'Consultar' }).click();
    await p.page.getByText('Recibida, en espera de respuesta').waitFor({ timeout: LONG });
    await p.page.getByText(`El acta ${acta.folio} no menciona la hora de cierre de la sesión.`).waitFor();
    await p.page.getByText('Aún no hay respuesta.').waitFor();
    await check(p, 'folio');
    assert.deepEqual(p.problems, []);
    await p.close();
  });

  it('every JSON answer matched its OpenAPI schema', () => {
    assert.deepEqual(mismatches, []);
    assert.deepEqual(report, [
      'invitacion', 'invitacion-efirma', 'mi-firma', 'reinscripcion', 'acta-revision', 'pendientes', 'acta-rubrica',
      'acta-efirma-vencida', 'acta-firma-al-calce', 'garante', 'archivo', 'inicio', 'micrositio', 'verificar',
      'verificar-resultado', 'datos-abiertos', 'buzon', 'folio',
    ]);
  });
});
