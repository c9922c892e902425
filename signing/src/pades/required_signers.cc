#include "required_signers.h"

#include <algorithm>
#include <cctype>

#include "rubrica/base/crypto_util.h"

namespace rubrica::signing {

namespace {

std::string Normalize(std::string s) {
  std::string out;
  bool space = false;
  for (unsigned char c : s) {
    if (std::isspace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(static_cast<char>(c < 0x80 ? std::tolower(c) : c));
  }
  return out;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return !needle.empty() && Normalize(haystack).find(Normalize(needle)) != std::string::npos;
}

}  // namespace

void RequiredSignerIndex::Match(SignatureEntry& e, const keys::Certificate& cert) const {
  if (list_ == nullptr) return;
  const pdf::RequiredSigner* who = nullptr;
  for (const auto& s : list_->signers) {
    if ((e.kind == "rubric" && s.fields.rubric == e.field) || (e.kind == "foot" && s.fields.foot == e.field)) who = &s;
  }
  if (who == nullptr) {
    e.signer_matches = false;
    e.errors.push_back("signer: field '" + e.field + "' belongs to no required signer");
    return;
  }
  e.required_signer = who->index;
  bool ok;
  std::string by;
  if (!who->certificate_sha256.empty()) {
    ok = who->certificate_sha256 == cert.FingerprintSha256();
    by = "certificate fingerprint";
  } else if (!who->identity.public_key_sha256.empty()) {
    ok = who->identity.public_key_sha256 == Sha256Hex(cert.PublicKeyInfoDer());
    by = "public key";
  } else if (!who->identity.curp.empty()) {
    ok = Contains(cert.SubjectAttribute("serialNumber"), who->identity.curp);
    by = "CURP";
  } else if (!who->identity.rfc.empty()) {
    ok = Contains(cert.SubjectAttribute("x500UniqueIdentifier"), who->identity.rfc);
    by = "RFC";
  } else if (!who->identity.email.empty()) {
    ok = Normalize(cert.SubjectAttribute("emailAddress")) == Normalize(who->identity.email);
    by = "e-mail";
  } else {
    ok = Normalize(cert.SubjectCommonName()) == Normalize(who->name);
    by = "name";
  }
  if (!ok) {
    e.signer_matches = false;
    e.errors.push_back("signer: '" + e.field + "' must be signed by " + who->name + " (" + who->seat +
                       ", matched by " + by + "), but the certificate is " + cert.SubjectCommonName() +
                       "'s");
  }
}

void BuildCompleteness(const pdf::SignerList& list, const std::vector<SignatureEntry>& signatures,
                       Completeness& c) {
  c.assessed = true;
  c.acta_id = list.acta.id;
  c.acta_title = list.acta.title;
  c.secretariat = list.acta.secretariat;
  c.approved_on = list.acta.approved_on;
  c.time_zone = list.acta.time_zone;
  c.certified = std::any_of(signatures.begin(), signatures.end(), [](const SignatureEntry& s) {
    return s.kind == "certification" && s.indication == "TOTAL-PASSED";
  });
  bool all = true;
  c.same_date = true;
  auto status_of = [&](const std::string& field, std::optional<std::string>& date) -> std::string {
    for (const auto& s : signatures) {
      if (s.field != field) continue;
      if (s.indication != "TOTAL-PASSED" || !s.signer_matches) return "invalid";
      date = s.local_date;
      if (!s.local_date || *s.local_date != list.acta.approved_on) c.same_date = false;
      return "valid";
    }
    return "missing";
  };
  for (const auto& s : list.signers) {
    SignerCompleteness sc;
    sc.index = s.index;
    sc.name = s.name;
    sc.seat = s.seat;
    sc.role = s.role;
    sc.rubric = status_of(s.fields.rubric, sc.rubric_date);
    sc.foot = status_of(s.fields.foot, sc.foot_date);
    if (sc.rubric != "valid") c.missing.push_back(s.name + " (rúbrica)");
    if (sc.foot != "valid") c.missing.push_back(s.name + " (firma al calce)");
    all = all && sc.rubric == "valid" && sc.foot == "valid";
    c.signers.push_back(std::move(sc));
  }
  c.complete = c.certified && all && c.same_date;
  // Archived: a valid document timestamp after every other signature (the last renewal);
  // archived_at is the first one's time (the seal).
  if (c.complete && !signatures.empty() && signatures.back().kind == "document_timestamp" &&
      signatures.back().indication == "TOTAL-PASSED") {
    c.archived = true;
    for (const auto& s : signatures) {
      if (s.kind == "document_timestamp") {
        c.archived_at = s.time_utc;
        break;
      }
    }
  }
  if (!c.certified) c.reason = "no valid certification signature";
  else if (!all) c.reason = std::to_string(c.missing.size()) + " required signature(s) missing or invalid";
  else if (!c.same_date) c.reason = "not every rubric and foot signature is dated " + list.acta.approved_on;
}

}  // namespace rubrica::signing
