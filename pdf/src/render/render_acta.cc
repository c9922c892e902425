#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "render/flow_layout.h"
#include "render/page_decorations.h"
#include "render/pdf_assembly.h"
#include "rubrica/base/time_zone.h"
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
  if (options.max_pages < 1) {
    return BadOptions("max_pages must be positive", "El límite de hojas no es válido.");
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

std::string Subject(const RenderOptions& options) {
  const std::string v = std::to_string(options.version);
  if (options.draft) return "Borrador — versión " + v;
  if (options.plan) return "Versión " + v + " aprobada el " + options.plan->approved_on;
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

  const render::PageGeometry geometry;
  render::WinAnsiConverter converter;
  render::FlowLayout layout(fonts, converter, geometry, options.max_pages);
  std::vector<SignatureSlotText> plan_signers;
  if (options.plan) {
    for (const RequiredSigner& s : options.plan->signers) {
      plan_signers.push_back({s.name, s.representation, s.role, s.seat});
    }
  }
  RETURN_IF_ERROR(layout.Run(acta, options.plan ? &plan_signers : nullptr));

  RenderedActa out;
  out.pages = static_cast<int>(layout.pages().size());
  out.margin_strip = geometry.strip;
  out.text_area = geometry.text_area;

  render::AssemblyInput input;
  input.fonts = &fonts;
  input.geometry = &geometry;
  const render::PageDecorations decorations{options.draft, options.version};
  for (int i = 0; i < out.pages; ++i) {
    input.pages.push_back(render::DecoratePage(layout.pages()[static_cast<size_t>(i)], i + 1,
                                               out.pages, decorations, geometry, fonts));
  }
  input.info = {acta.title, acta.secretariat, Subject(options), PdfDate(options.created_at, *zone)};

  render::SignatureForm form;
  if (options.plan) {
    const SignedActaSummary summary{acta.id,
                                    acta.title,
                                    std::string(ActaKindName(acta.kind)),
                                    acta.secretariat,
                                    options.plan->approved_on,
                                    options.plan->time_zone,
                                    options.version};
    out.signer_list_json = SignerListToJson(MakeSignerList(summary, *options.plan));
    out.rubric_slots = geometry.RubricSlots(options.plan->signers.size());
    out.foot_slots = layout.foot_slots();
    form = {out.rubric_slots, out.foot_slots, out.signer_list_json};
    input.form = &form;
  }
  ASSIGN_OR_RETURN(out.pdf, render::AssemblePdf(input));
  out.warnings = converter.Warnings();
  return out;
}

}  // namespace rubrica::pdf
