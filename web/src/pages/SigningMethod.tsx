// How a person will sign, chosen on the invitation page and again on a re-enrolment link:
// a PIN (Rúbrica keeps their key, encrypted under it) or their own device (an e.firma whose
// certificate, public, is registered here; its key never leaves them). The invitation also
// offers "none" (accounts that sign nothing).
import { useState } from 'preact/hooks';
import { messageOf } from '../api/client';
import { checkDates, EfirmaRefusal, readCertificate, readFile, toBase64, type CertificateInfo } from '../efirma/efirma';
import { instantDateEs } from '../ui/format';

export type Method = 'pin' | 'device' | 'none';

export interface SigningMethod {
  method: Method;
  setMethod: (m: Method) => void;
  pin: string;
  setPin: (v: string) => void;
  pin2: string;
  setPin2: (v: string) => void;
  cert: CertificateInfo | null;
  certError: string;
  setCert: (c: CertificateInfo | null, error: string) => void;
}

export function useSigningMethod(initial: Method): SigningMethod {
  const [method, setMethod] = useState<Method>(initial);
  const [pin, setPin] = useState('');
  const [pin2, setPin2] = useState('');
  const [cert, setCertInfo] = useState<CertificateInfo | null>(null);
  const [certError, setCertError] = useState('');
  return {
    method, setMethod, pin, setPin, pin2, setPin2, cert, certError,
    setCert: (c, error) => {
      setCertInfo(c);
      setCertError(error);
    },
  };
}

/** What is wrong with the choice, in Spanish, before anything is sent; '' when nothing is. */
export function signingMethodProblem(s: SigningMethod): string {
  if (s.method === 'pin' && !s.pin) return 'Escriba su PIN de firma.';
  if (s.method === 'pin' && s.pin !== s.pin2) return 'Los dos PIN no coinciden.';
  if (s.method === 'device' && !s.cert) return s.certError || 'Elija el certificado (.cer) de su e.firma.';
  return '';
}

/** The fields of the request body that carry the choice: {pin}, {certificate} or nothing. */
export function signingMethodBody(s: SigningMethod): { pin?: string; certificate?: string } {
  if (s.method === 'pin') return { pin: s.pin };
  if (s.method === 'device' && s.cert) return { certificate: toBase64(s.cert.der) };
  return {};
}

/** The choice: radios, then a new PIN typed twice or the e.firma's certificate (.cer), read and date-checked in the page. */
export function SigningMethodFieldset({ state: s, legend, pinLabel, allowNone = false }: { state: SigningMethod; legend: string; pinLabel: string; allowNone?: boolean }) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div class="choice">
        <input type="radio" id="m-pin" name="method" checked={s.method === 'pin'} onChange={() => s.setMethod('pin')} />
        <label for="m-pin">{pinLabel}</label>
      </div>
      <div class="choice">
        <input type="radio" id="m-device" name="method" checked={s.method === 'device'} onChange={() => s.setMethod('device')} />
        <label for="m-device">Con mi e.firma (SAT) u otro certificado cuya llave guardo yo.</label>
      </div>
      {allowNone && (
        <div class="choice">
          <input type="radio" id="m-none" name="method" checked={s.method === 'none'} onChange={() => s.setMethod('none')} />
          <label for="m-none">No firmo actas (cuentas de administración, archivo u observación).</label>
        </div>
      )}
      {s.method === 'pin' && (
        <>
          <div class="field">
            <label for="pin">PIN de firma</label>
            <input id="pin" type="password" autocomplete="off" inputMode="numeric" aria-describedby="pin-hint" value={s.pin} onInput={(e) => s.setPin(e.currentTarget.value)} />
            <p class="hint" id="pin-hint">
              Lo escribirá cada vez que rubrique o firme. No use su fecha de nacimiento ni números seguidos.
            </p>
          </div>
          <div class="field">
            <label for="pin2">Repita el PIN</label>
            <input id="pin2" type="password" autocomplete="off" inputMode="numeric" value={s.pin2} onInput={(e) => s.setPin2(e.currentTarget.value)} />
          </div>
        </>
      )}
      {s.method === 'device' && (
        <div class="field">
          <label for="cer">Certificado de su e.firma (.cer)</label>
          <input
            id="cer"
            type="file"
            accept=".cer,.crt,.pem"
            aria-describedby="cer-hint"
            onChange={async (e) => {
              const file = e.currentTarget.files?.[0];
              s.setCert(null, '');
              if (!file) return;
              try {
                const info = await readCertificate(await readFile(file));
                checkDates(info);
                s.setCert(info, '');
              } catch (err) {
                s.setCert(null, err instanceof EfirmaRefusal ? err.message : messageOf(err));
              }
            }}
          />
          <p class="hint" id="cer-hint">
            Sólo el certificado, que es público. Su llave privada (.key) y su contraseña nunca se envían: las usará en su navegador al firmar.
          </p>
          {s.certError && (
            <p class="field-error" role="alert">
              {s.certError}
            </p>
          )}
          {s.cert && (
            <p role="status">
              Certificado de <strong>{s.cert.name}</strong>
              {s.cert.rfc && <> (RFC {s.cert.rfc})</>}, vigente hasta el {instantDateEs(s.cert.notAfter)}.
            </p>
          )}
        </div>
      )}
    </fieldset>
  );
}
