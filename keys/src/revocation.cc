#include "rubrica/keys/revocation.h"

#include <algorithm>
#include <cctype>

namespace rubrica::keys {

namespace {

struct ReasonName {
  RevocationReason reason;
  std::string_view rfc;
  std::string_view spanish;
};

constexpr ReasonName kReasons[] = {
    {RevocationReason::kUnspecified, "unspecified", "sin especificar"},
    {RevocationReason::kKeyCompromise, "keyCompromise", "llave comprometida o extraviada"},
    {RevocationReason::kCaCompromise, "cACompromise", "autoridad comprometida"},
    {RevocationReason::kAffiliationChanged, "affiliationChanged", "baja o cambio de cargo"},
    {RevocationReason::kSuperseded, "superseded", "reemplazado por otro certificado"},
    {RevocationReason::kCessationOfOperation, "cessationOfOperation", "fin del periodo"},
    {RevocationReason::kCertificateHold, "certificateHold", "suspendido"},
    {RevocationReason::kRemoveFromCrl, "removeFromCRL", "retirado de la lista"},
    {RevocationReason::kPrivilegeWithdrawn, "privilegeWithdrawn", "privilegio retirado"},
    {RevocationReason::kAaCompromise, "aACompromise", "autoridad de atributos comprometida"},
};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::string_view RevocationReasonName(RevocationReason reason) {
  for (const auto& r : kReasons) {
    if (r.reason == reason) return r.rfc;
  }
  return "unspecified";
}

std::string_view RevocationReasonSpanish(RevocationReason reason) {
  for (const auto& r : kReasons) {
    if (r.reason == reason) return r.spanish;
  }
  return "sin especificar";
}

Result<RevocationReason> ParseRevocationReason(std::string_view text) {
  const std::string t = Lower(text);
  if (t == "end-of-term") return RevocationReason::kCessationOfOperation;
  if (t == "removal") return RevocationReason::kAffiliationChanged;
  if (t == "lost-key") return RevocationReason::kKeyCompromise;
  for (const auto& r : kReasons) {
    if (Lower(r.rfc) == t) return r.reason;
  }
  return Status::Error(ErrorKind::kInvalidArgument, "keys.bad_revocation_reason",
                       "unknown revocation reason '" + std::string(text) +
                           "' (use end-of-term, removal, lost-key, superseded or an RFC 5280 name)",
                       "El motivo de revocación no es válido.");
}

RevocationReason RevocationReasonFromCode(int code) {
  for (const auto& r : kReasons) {
    if (static_cast<int>(r.reason) == code) return r.reason;
  }
  return RevocationReason::kUnspecified;
}

}  // namespace rubrica::keys
