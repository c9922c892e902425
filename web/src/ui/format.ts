// Spanish wording of the API's values, and dates as people in Mexico read them.
const MONTHS = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];

/** "2026-02-16" → "16 de febrero de 2026". */
export function dateEs(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])} de ${MONTHS[Number(m[2]) - 1]} de ${m[1]}`;
}

/** An instant, in Mexico City's time ("16 de febrero de 2026, 10:05 h"). */
export function timeEs(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('es-MX', {
    timeZone: 'America/Mexico_City', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${dateEs(`${get('year')}-${get('month')}-${get('day')}`)}, ${get('hour')}:${get('minute')} h`;
}

export const ACTA_STATE: Record<string, string> = {
  draft: 'Borrador',
  review: 'En revisión',
  approved: 'Aprobada',
  rubric: 'En rúbrica',
  foot_signature: 'En firma al calce',
  archived: 'Archivada',
  delivered: 'Entregada al órgano garante',
};

export const ACTA_KIND: Record<string, string> = {
  installation: 'Acta de instalación',
  session_minute: 'Acta de sesión',
};

export const CAPACITY: Record<string, string> = {
  titular: 'Titular',
  substitute: 'Suplente',
  facilitator: 'Facilitación',
  observer: 'Observación',
};

export const CREDENTIAL_ORIGIN: Record<string, string> = {
  'local-ca': 'Llave guardada en Rúbrica, protegida con su PIN',
  pkcs12: 'Certificado importado (PKCS#12)',
  efirma: 'e.firma importada',
  external: 'Certificado cuya llave guarda usted (e.firma u otro)',
};

export const SECRETARIAT_KIND: Record<string, string> = {
  stl: 'Secretariado Técnico Local',
  stm: 'Secretariado Técnico Municipal',
};

export function bytesEs(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** The calendar date of an instant in Mexico City, ISO ("2021-05-15"). */
export function isoDateInMexico(d: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/** The calendar date of an instant in Mexico City ("15 de mayo de 2021"). */
export function instantDateEs(d: Date): string {
  return dateEs(isoDateInMexico(d));
}

export const ITEM_KIND: Record<string, string> = {
  photo: 'Fotografía',
  video: 'Video',
  audio: 'Audio',
  communique: 'Comunicado',
};

export const SESSION_KIND: Record<string, string> = {
  ordinary: 'ordinaria',
  extraordinary: 'extraordinaria',
};

export const SESSION_STATUS: Record<string, string> = {
  convened: 'convocada',
  cancelled: 'cancelada',
  open: 'en curso',
  closed: 'concluida',
};

export const SUBMISSION_KIND: Record<string, string> = {
  question: 'Pregunta',
  complaint: 'Queja',
  suggestion: 'Sugerencia',
  participation: 'Solicitud de participación',
};

export const SUBMISSION_STATUS: Record<string, string> = {
  received: 'Recibida, en espera de respuesta',
  answered: 'Respondida',
};

export const OBLIGATION_STATUS: Record<string, string> = {
  pending: 'Pendiente',
  late: 'Atrasada',
  delivered_on_time: 'Entregada a tiempo',
  delivered_late: 'Entregada con atraso',
};

export const NOTIFICATION_KIND: Record<string, string> = {
  'session.convened': 'Convocatoria',
  'session.cancelled': 'Cancelación de sesión',
  'acta.review_opened': 'Revisión abierta',
  'acta.approved': 'Firme hoy',
  'acta.archived': 'Acta archivada',
  'reminder.session': 'Recordatorio de sesión',
  'delivery.due': 'Entrega por vencer',
  'delivery.late': 'Entrega vencida',
  'package.refused': 'Paquete rechazado',
};

export const NOTIFICATION_STATE: Record<string, string> = {
  pending: 'pendiente',
  retrying: 'reintentando',
  sent: 'enviado',
  dead: 'no entregado',
};
