#include "verification_page.h"

#include <cctype>

#include "rubrica/base/markup.h"
#include "rubrica/lang/dates.h"

namespace rubrica::server {
namespace {

constexpr char kCsp[] =
    "default-src 'none'; style-src 'none'; img-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'";

bool IsFolio(const std::string& folio) {
  if (folio.empty() || folio.size() > 40) return false;
  for (char c : folio) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

void SendPage(HttpExchange& ex, int status, const std::string& title, const std::string& body) {
  ex.SetHeader("Content-Security-Policy", kCsp);
  ex.SetHeader("X-Content-Type-Options", "nosniff");
  ex.SetHeader("Referrer-Policy", "no-referrer");
  ex.SetHeader("Cache-Control", "no-store");
  ex.SendBytes(status, "text/html; charset=utf-8",
               "<!DOCTYPE html>\n<html lang=\"es-MX\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
                   EscapeMarkup(title) + "</title>\n</head>\n<body>\n<main>\n<h1>" +
                   EscapeMarkup(title) + "</h1>\n" + body + "</main>\n</body>\n</html>\n");
}

void NotFound(HttpExchange& ex, const std::string& folio) {
  SendPage(ex, 404, "Acta no encontrada",
           "<p>No existe un acta con el folio <strong>" + EscapeMarkup(folio) +
               "</strong> en este servicio. Revise el folio impreso al pie de las hojas del "
               "acta.</p>\n");
}

std::string Row(const std::string& label, const std::string& value) {
  return "<tr><th scope=\"row\">" + EscapeMarkup(label) + "</th><td>" + value + "</td></tr>\n";
}

// The acta of the request's folio; false when a reply (404 page, error) was already sent.
bool FindActa(HttpExchange& ex, workflows::Workflows& wf, workflows::ActaRecord& out) {
  const std::string folio = ex.PathParam("folio");
  if (!IsFolio(folio)) {
    NotFound(ex, folio);
    return false;
  }
  auto acta = wf.actas().GetByFolio(folio);
  if (!acta.ok()) {
    if (acta.status().kind() == ErrorKind::kNotFound) {
      NotFound(ex, folio);
    } else {
      ex.SendError(acta.status());
    }
    return false;
  }
  out = std::move(*acta);
  return true;
}

// The verification page of the request's folio; `printed` is the hash of the reader's copy
// (any case), empty when none was given.
void ServePage(HttpExchange& ex, workflows::Workflows& wf, std::string printed) {
  const std::string folio = ex.PathParam("folio");
  workflows::ActaRecord record;
  if (!FindActa(ex, wf, record)) return;
  const workflows::ActaRecord* acta = &record;
  auto secretariat = wf.secretariats().Get(acta->secretariat_id);
  const std::string hash = acta->approvals.empty() ? "" : acta->approvals.back().content_sha256;
  std::string body = "<table>\n";
  body += Row("Folio", EscapeMarkup(folio));
  body += Row("Acta", EscapeMarkup(acta->title));
  body += Row("Secretariado", secretariat.ok() ? EscapeMarkup(secretariat->config.name) : "");
  body += Row("Fecha del acta", EscapeMarkup(lang::DateEs(acta->acta_date)));
  body +=
      Row("Estado",
          EscapeMarkup(workflows::ActaStateEs(acta->state)) +
              (acta->complete ? " (rubricada y firmada por todas las personas requeridas)" : ""));
  body += Row("Huella SHA-256 del contenido aprobado (cadena)",
              "<code>" + EscapeMarkup(hash) + "</code>");
  body += "</table>\n";
  for (char& c : printed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!printed.empty()) {
    body += printed == hash
                ? "<p><strong>La huella de su copia coincide</strong> con la del contenido "
                  "aprobado vigente de esta acta.</p>\n"
                : "<p><strong>La huella de su copia no coincide</strong> con la del contenido "
                  "aprobado vigente: su copia corresponde a otra versión del acta o fue "
                  "alterada. Consulte la versión vigente abajo.</p>\n";
  }
  const bool archived = !acta->archived_blob_id.empty();
  if (archived || !acta->current_blob_id.empty()) {
    body +=
        "<p><a href=\"/verificar/" + EscapeMarkup(folio) + "/acta.pdf\">" +
        std::string(archived ? "Descargar el acta archivada (PDF sellado para archivo)"
                             : "Descargar la versión vigente del acta (PDF, en proceso de firma)") +
        "</a></p>\n";
  }
  body +=
      "<p>Para comprobar las firmas electrónicas del PDF, ejecute <code>rubrica verify "
      "acta.pdf --trust ca.pem</code> con el <a href=\"/keys/ca.pem\">certificado raíz de "
      "esta instalación</a>, o ábralo en un lector de PDF que valide firmas.</p>\n";
  SendPage(ex, 200, "Verificación del acta " + folio, body);
}

}  // namespace

void AddVerificationPage(Router& router, workflows::Workflows& wf, const store::BlobStore& blobs) {
  router.Add("GET", "/verificar/{folio}",
             [&wf](HttpExchange& ex) { ServePage(ex, wf, ex.Query("sha256")); });
  // The short form printed in the QR code of every certified page (pdf::RenderOptions).
  router.Add("GET", "/v/{folio}/{hash}",
             [&wf](HttpExchange& ex) { ServePage(ex, wf, ex.PathParam("hash")); });
  router.Add("GET", "/verificar/{folio}/acta.pdf", [&wf, &blobs](HttpExchange& ex) {
    const std::string folio = ex.PathParam("folio");
    workflows::ActaRecord record;
    if (!FindActa(ex, wf, record)) return;
    const workflows::ActaRecord* acta = &record;
    const std::string& id =
        acta->archived_blob_id.empty() ? acta->current_blob_id : acta->archived_blob_id;
    if (id.empty()) return NotFound(ex, folio);
    auto pdf = blobs.Get(id);
    if (!pdf.ok()) return ex.SendError(pdf.status());
    ex.SetHeader("Content-Disposition", "attachment; filename=\"" + folio + ".pdf\"");
    ex.SetHeader("X-Content-Type-Options", "nosniff");
    ex.SendBytes(200, "application/pdf", *pdf);
  });
}

}  // namespace rubrica::server
