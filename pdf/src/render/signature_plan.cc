#include "rubrica/pdf/signature_plan.h"

#include <chrono>

#include "render/format_checks.h"
#include "render/winansi.h"

namespace rubrica::pdf {
namespace {

constexpr size_t kMaxTextBytes = 1000;

Status BadPlan(const std::string& path, const std::string& en, const std::string& es) {
  return Status::Error(ErrorKind::kInvalidArgument, "pdf.bad_signature_plan", path + ": " + en,
                       "La lista de firmantes no es válida (" + path + "): " + es + ".");
}

Status CheckText(std::string_view text, const std::string& path) {
  if (text.size() > kMaxTextBytes) {
    return BadPlan(path, "longer than " + std::to_string(kMaxTextBytes) + " bytes",
                   "el texto es demasiado largo");
  }
  if (!rubrica::IsValidUtf8(text))
    return BadPlan(path, "invalid UTF-8", "el texto no es UTF-8 válido");
  return Status::Ok();
}

}  // namespace

std::string RubricFieldName(int index) { return "rubrica_" + std::to_string(index); }
std::string MarkFieldName(int index) { return "marca_" + std::to_string(index); }
std::string FootFieldName(int index) { return "firma_" + std::to_string(index); }

namespace render {

bool IsIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  auto num = [&](size_t at, size_t n) {
    int v = 0;
    for (size_t i = 0; i < n; ++i) v = v * 10 + (s[at + i] - '0');
    return v;
  };
  const std::chrono::year_month_day ymd{std::chrono::year(num(0, 4)),
                                        std::chrono::month(static_cast<unsigned>(num(5, 2))),
                                        std::chrono::day(static_cast<unsigned>(num(8, 2)))};
  return ymd.ok();
}

bool IsSha256Hex(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace render

Status ValidateSignaturePlan(const SignaturePlan& plan) {
  if (!render::IsIsoDate(plan.approved_on)) {
    return BadPlan("approved_on", "expected a date YYYY-MM-DD",
                   "la fecha de aprobación no es válida");
  }
  RETURN_IF_ERROR(CheckText(plan.time_zone, "time_zone"));
  if (plan.signers.empty() || plan.signers.size() > kMaxSigners) {
    return BadPlan("signers", "expected 1 to " + std::to_string(kMaxSigners) + " signers",
                   "debe haber entre 1 y " + std::to_string(kMaxSigners) + " firmantes");
  }
  for (size_t i = 0; i < plan.signers.size(); ++i) {
    const RequiredSigner& s = plan.signers[i];
    const std::string at = "signers[" + std::to_string(i) + "]";
    if (s.name.empty()) return BadPlan(at + ".name", "missing", "falta el nombre");
    using Fields = std::initializer_list<std::pair<const char*, const std::string*>>;
    for (const auto& [field, value] : Fields{{"name", &s.name},
                                             {"seat", &s.seat},
                                             {"role", &s.role},
                                             {"representation", &s.representation},
                                             {"identity.curp", &s.identity.curp},
                                             {"identity.rfc", &s.identity.rfc},
                                             {"identity.email", &s.identity.email}}) {
      RETURN_IF_ERROR(CheckText(*value, at + "." + field));
    }
    if (!s.certificate_sha256.empty() && !render::IsSha256Hex(s.certificate_sha256)) {
      return BadPlan(at + ".certificate_sha256", "expected 64 lower-case hex digits",
                     "la huella del certificado no es válida");
    }
    if (!s.identity.public_key_sha256.empty() && !render::IsSha256Hex(s.identity.public_key_sha256)) {
      return BadPlan(at + ".identity.public_key_sha256", "expected 64 lower-case hex digits",
                     "la huella de la llave pública no es válida");
    }
  }
  return Status::Ok();
}

SignerList MakeSignerList(const SignedActaSummary& acta, const SignaturePlan& plan) {
  SignerList list;
  list.acta = acta;
  for (size_t i = 0; i < plan.signers.size(); ++i) {
    RequiredSigner s = plan.signers[i];
    s.index = static_cast<int>(i) + 1;
    s.fields = {RubricFieldName(s.index), MarkFieldName(s.index), FootFieldName(s.index)};
    list.signers.push_back(std::move(s));
  }
  return list;
}

}  // namespace rubrica::pdf
