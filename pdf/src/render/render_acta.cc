#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "render/flow_layout.h"
#include "render/page_decorations.h"
#include "render/pdf_assembly.h"
#include "render/pdfa.h"
#include "render/qr_code.h"
#include "rubrica/base/time_zone.h"
#include "rubrica/lang/dates.h"
#include "rubrica/pdf/render.h"

namespace rubrica::pdf {
namespace {

Status BadOptions(const std::string& what, const std::string& es) {
  return Status::Error(ErrorKind::kInvalidArgument, "pdf.bad_render_options", what, es);
}

Status CheckOptions(const RenderOptions& options) {
  if (options.draft && options.plan) {
    return BadOptions("a draft cannot carry a signature plan",
                      "Un borrador no puede llevar campos de firma.");
  }
  if (options.version < 1 || options.version > 100000) {
    return BadOptions(
        "version must be between 1 and 100000, got " + std::to_string(options.version),
        "El número de versión del acta no es válido.");
  }
  if (options.single_seal_field && (!options.plan || options.plan->signers.size() != 1)) {
    return BadOptions("a single seal field needs a signature plan of exactly one signer",
                      "El campo único del sello requiere exactamente un firmante.");
  }
  if (options.max_pages < 1) {
    return BadOptions("max_pages must be positive", "El límite de hojas no es válido.");
  }
  const bool any = !options.folio.empty() || !options.content_sha256.empty() ||
                   !options.public_url.empty();
  if (any && !options.plan) {
    return BadOptions("folio, content hash and public URL go with a signature plan",
                      "El folio y la verificación solo se imprimen en la versión aprobada.");
  }
  if (!options.folio.empty()) {
    bool ok = options.folio.size() <= 40;
    for (char c : options.folio) ok = ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-');
    if (!ok) {
      return BadOptions("folio must be 1-40 characters A-Z, 0-9 or '-', got \"" + options.folio + "\"",
                        "El folio del acta no es válido.");
    }
  }
  if (!options.content_sha256.empty()) {
    bool ok = options.content_sha256.size() == 64;
    for (char c : options.content_sha256) ok = ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    if (!ok || options.folio.empty()) {
      return BadOptions("content_sha256 must be 64 lower-case hex digits and come with a folio",
                        "La huella del contenido aprobado no es válida.");
    }
  }
  if (!options.public_url.empty()) {
    const std::string& u = options.public_url;
    bool ok = u.size() <= 100 && (u.rfind("http://", 0) == 0 || u.rfind("https://", 0) == 0) &&
              u.back() != '/';
    for (char c : u) {
      ok = ok && c > 0x20 && c < 0x7F && c != '"' && c != '<' && c != '>' && c != '\\' &&
           c != '?' && c != '#';
    }
    if (!ok || options.content_sha256.empty()) {
      return BadOptions("public_url must be an http(s) base URL of at most 100 characters without "
                        "query or trailing '/', and come with folio and content_sha256, got \"" +
                            u + "\"",
                        "La dirección pública del servicio no es válida para el código QR.");
    }
  }
  return Status::Ok();
}

// "D:YYYYMMDDHHmmSS+HH'mm'" (ISO 32000-1 7.9.4) for `t` in `zone`.
std::string PdfDate(Instant t, const TimeZone& zone) {
  using namespace std::chrono;
  const local_seconds local = zone.ToLocal(t);
  const auto day = floor<days>(local);
  const year_month_day ymd(day);
  const hh_mm_ss hms(local - day);
  const long offset = static_cast<long>(zone.OffsetAt(t).count());
  const long abs_offset = std::labs(offset);
  char buf[64];
  std::snprintf(buf, sizeof buf, "D:%04d%02u%02u%02ld%02ld%02lld%c%02ld'%02ld'",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long>(hms.hours().count()),
                static_cast<long>(hms.minutes().count()),
                static_cast<long long>(hms.seconds().count()), offset < 0 ? '-' : '+',
                abs_offset / 3600, abs_offset % 3600 / 60);
  return buf;
}

// "14 de noviembre de 2022" for a plan's "2022-11-14" (validated by ValidateSignaturePlan).
std::string ApprovedOnEs(const SignaturePlan& plan) { return lang::DateEs(plan.approved_on); }

// Opens every page the signature block continues on: whose signatures these are.
std::string Legend(const ActaDocument& acta, const RenderOptions& options) {
  std::string legend = "Continúan las firmas del acta «" + acta.title + "»";
  if (options.plan) legend += ", aprobada el " + ApprovedOnEs(*options.plan);
  if (!options.folio.empty()) legend += " (folio " + options.folio + ")";
  return legend + ".";
}

std::string Subject(const RenderOptions& options) {
  const std::string v = std::to_string(options.version);
  if (options.draft) return "Borrador — versión " + v;
  if (options.plan) return "Versión " + v + " aprobada el " + ApprovedOnEs(*options.plan);
  return "Versión " + v;
}

}  // namespace

Result<RenderedActa> RenderActa(const ActaDocument& acta, const RenderOptions& options) {
  RETURN_IF_ERROR(CheckOptions(options));
  RETURN_IF_ERROR(ValidateActa(acta, options.limits));
  if (options.plan) RETURN_IF_ERROR(ValidateSignaturePlan(*options.plan));
  const std::string& zone_name = options.plan ? options.plan->time_zone : options.time_zone;
  auto zone = TimeZone::Load(zone_name);
  if (!zone.ok()) {
    return BadOptions("unknown time zone \"" + zone_name + "\"",
                      "La zona horaria del acta no es válida.");
  }
  ASSIGN_OR_RETURN(render::FontSet fonts, render::FontSet::Load(options.font_dir));
  ASSIGN_OR_RETURN(std::string icc, render::LoadRgbIccProfile(options.icc_profile));

  const render::PageGeometry geometry;
  render::WinAnsiConverter converter;
  render::FlowLayout layout(fonts, converter, geometry, options.max_pages);
  std::vector<SignatureSlotText> plan_signers;
  if (options.plan) {
    for (const RequiredSigner& s : options.plan->signers) {
      // The plan's texts arrive as they are to be printed (agreed with each signer's gender).
      plan_signers.push_back({s.name, s.representation, s.role, s.seat, ""});
    }
  }
  RETURN_IF_ERROR(layout.Run(acta, options.plan ? &plan_signers : nullptr, Legend(acta, options)));

  RenderedActa out;
  out.pages = static_cast<int>(layout.pages().size());
  out.margin_strip = geometry.strip;
  out.text_area = geometry.text_area;

  render::AssemblyInput input;
  input.fonts = &fonts;
  input.geometry = &geometry;
  render::PageDecorations decorations{options.draft, options.version};
  decorations.folio = options.folio;
  decorations.cadena = options.content_sha256;
  std::optional<render::QrCode> qr;
  if (!options.public_url.empty()) {
    decorations.address = options.public_url + "/verificar/" + options.folio;
    // The QR code carries the short form (<public_url>/v/<folio>/<HASH>, the hash in capitals
    // so that all after the host fits QR's alphanumeric mode): 37 modules instead of 49
    // for a typical address, legible from a 100 dpi scan.
    std::string upper_hash = options.content_sha256;
    for (char& c : upper_hash) {
      if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
    }
    out.verification_url = options.public_url + "/v/" + options.folio + "/" + upper_hash;
    ASSIGN_OR_RETURN(qr, render::EncodeQr(out.verification_url));
    decorations.qr_modules = qr->size;
    input.qr = &*qr;
  }
  for (int i = 0; i < out.pages; ++i) {
    input.pages.push_back(render::DecoratePage(layout.pages()[static_cast<size_t>(i)], i + 1,
                                               out.pages, decorations, geometry, fonts));
  }
  input.info = {acta.title, acta.secretariat, Subject(options), PdfDate(options.created_at, *zone)};
  render::XmpFields xmp;
  xmp.title = input.info.title;
  xmp.author = input.info.author;
  xmp.subject = input.info.subject;
  xmp.creator_tool = render::kCreator;
  xmp.producer = render::kProducer;
  xmp.date = render::XmpDateFromPdfDate(input.info.pdf_date);
  xmp.identifier = options.folio;
  xmp.relation = out.verification_url;
  input.xmp = render::XmpPacket(xmp);
  input.icc_profile = std::move(icc);

  render::SignatureForm form;
  if (options.plan) {
    const SignedActaSummary summary{acta.id,
                                    acta.title,
                                    std::string(ActaKindName(acta.kind)),
                                    acta.secretariat,
                                    options.plan->approved_on,
                                    options.plan->time_zone,
                                    options.version};
    out.foot_slots = layout.foot_slots();
    if (!options.single_seal_field) {
      out.signer_list_json = SignerListToJson(MakeSignerList(summary, *options.plan));
      out.rubric_slots = geometry.RubricSlots(options.plan->signers.size());
    }
    form = {out.rubric_slots, out.foot_slots, out.signer_list_json, !options.single_seal_field};
    input.form = &form;
  }
  ASSIGN_OR_RETURN(out.pdf, render::AssemblePdf(input));
  out.warnings = converter.Warnings();
  return out;
}

}  // namespace rubrica::pdf
