#include "rubrica/documents/pdf_acta_engine.h"

#include <cstdio>

#include "certified_copy.h"
#include "engine_text.h"
#include "renewal.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/time_zone.h"
#include "rubrica/lang/dates.h"
#include "rubrica/lang/posts.h"
#include "rubrica/pdf/acta_json.h"
#include "rubrica/pdf/cos/embedded_files.h"
#include "rubrica/pdf/cos/pdf_file.h"
#include "rubrica/pdf/render.h"
#include "rubrica/pdf/signature_plan.h"
#include "rubrica/signing/pades_signer.h"

namespace rubrica::documents {

using workflows::CertifyRequest;
using workflows::ExternalPreparation;
using workflows::SealRequest;
using workflows::SignatureKind;
using workflows::SignatureRequest;
using workflows::SignerSlot;
using workflows::SigningCredential;
using workflows::UnlockedSigner;

namespace {

// A PIN's outcome: the member's key, decrypted for this one signature.
struct KeySigner final : UnlockedSigner {
  explicit KeySigner(keys::UnlockedCredential u) : unlocked(std::move(u)) {}
  keys::UnlockedCredential unlocked;
};

// A device's outcome: what prepare fixed, the signature value, and the certificate.
struct DeviceSigner final : UnlockedSigner {
  DeviceSigner(ExternalState s, std::string v, keys::Credential c)
      : state(std::move(s)), value(std::move(v)), credential(std::move(c)) {}
  ExternalState state;
  std::string value;
  keys::Credential credential;
};

}  // namespace

struct PdfActaEngine::Impl {
  store::BlobStore& blobs;
  keys::KeyStore& keys;
  const keys::LocalCa& ca;
  const keys::TrustStore& trust;
  signing::TimestampClient& tsa;
  const Clock& clock;
  Logger& logger;
  PdfActaEngineOptions options;
  TimeZone zone;

  // The credential a signature of `slot` uses: the one whose key the acta's signer list
  // binds (slot.key_sha256), else the newest active one; server-held (external == false)
  // or external.
  Result<keys::Credential> CredentialOf(const SignerSlot& slot, bool external) const {
    ASSIGN_OR_RETURN(auto all, keys.ListByHolder(HolderIdFor(slot.person_id)));
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
      if (!it->active() || it->external != external) continue;
      if (slot.key_sha256.empty() || KeyHash(*it) == slot.key_sha256) return *it;
    }
    if (!slot.key_sha256.empty()) {
      // The bound key is revoked, or of the other kind (a PIN for a device key or back).
      for (const auto& c : all) {
        if (KeyHash(c) != slot.key_sha256) continue;
        if (!c.active()) {
          return EngineError(ErrorKind::kRejected, "bound_key_revoked",
                             "the key the acta binds person " + std::to_string(slot.person_id) +
                                 " to (credential " + std::to_string(c.id) + ") is revoked",
                             "La llave con la que esta acta espera su firma fue revocada; el acta debe "
                             "aprobarse de nuevo para firmarla con su llave nueva.");
        }
        return external ? EngineError(ErrorKind::kNotFound, "no_external_credential",
                                      "the acta binds person " + std::to_string(slot.person_id) +
                                          " to a server-held key (credential " + std::to_string(c.id) + ")",
                                      "Esta acta espera su firma con su PIN, no con su dispositivo.")
                        : EngineError(ErrorKind::kNotFound, "no_credential",
                                      "the acta binds person " + std::to_string(slot.person_id) +
                                          " to a device-held key (credential " + std::to_string(c.id) + ")",
                                      "Esta acta espera su firma con su dispositivo (e.firma), no con su PIN.");
      }
    }
    if (external) {
      return EngineError(ErrorKind::kNotFound, "no_external_credential",
                         "person " + std::to_string(slot.person_id) + " has no registered external certificate",
                         "No tiene registrado un certificado para firmar desde su dispositivo (e.firma).");
    }
    return EngineError(ErrorKind::kNotFound, "no_credential",
                       "person " + std::to_string(slot.person_id) + " has no signing credential",
                       "No tiene una llave de firma registrada; solicite su alta al administrador.");
  }

  static std::string KeyHash(const keys::Credential& c) {
    return Sha256Hex(c.certificate.PublicKeyInfoDer());
  }

  // The required signer of `file` that `slot` is: by public key when the list binds one,
  // else by name.
  Result<pdf::RequiredSigner> SignerIn(const pdf::cos::PdfFile& file, const SignerSlot& slot,
                                       const keys::Credential& credential) const {
    ASSIGN_OR_RETURN(auto json, pdf::cos::ReadEmbeddedFile(file, 0, "firmantes.json", 1u << 20));
    if (!json) {
      return EngineError(ErrorKind::kDataLoss, "no_signer_list", "the acta PDF carries no firmantes.json",
                         "El PDF del acta no tiene la lista de firmantes.");
    }
    ASSIGN_OR_RETURN(pdf::SignerList list, pdf::SignerListFromJson(*json));
    const std::string key_hash = KeyHash(credential);
    for (const auto& s : list.signers) {
      if (!s.identity.public_key_sha256.empty() ? s.identity.public_key_sha256 == key_hash
                                                : s.name == slot.full_name) {
        return s;
      }
    }
    return EngineError(ErrorKind::kRejected, "not_in_signer_list",
                       slot.full_name + " is not in the acta's certified signer list (or signs with another key)",
                       "Usted no aparece en la lista certificada de firmantes de esta acta, o firma con "
                       "una llave distinta de la registrada.");
  }

  pdf::cos::SignatureRequest Request(SignatureKind kind, const pdf::RequiredSigner& s,
                                     const SignerSlot& slot, Instant at) const {
    pdf::cos::SignatureRequest r;
    r.pdf_date = PdfDate(zone, at);
    r.name = slot.full_name;
    r.location = options.location;
    // Boxes and rubrics write the time as every text does: "16 de marzo de 2023, 17:08 h
    // (UTC−6)"; the role and post are the certified list's, as the signature block prints them.
    const std::string when = lang::DateTimeEs(at, zone);
    if (kind == SignatureKind::kRubric) {
      r.kind = pdf::cos::SignatureKind::kRubric;
      r.field = s.fields.rubric;
      r.mark_field = s.fields.mark;
      r.mark_value = "Rúbrica de " + slot.full_name + ", " + when;
      r.mark_initials = Initials(slot.full_name);
      r.mark_lines = {slot.full_name, AppearanceTime(when)};
      r.reason = "Rúbrica en todas las hojas del acta";
    } else {
      r.kind = pdf::cos::SignatureKind::kFoot;
      r.field = s.fields.foot;
      r.appearance_lines = {"Firmado electrónicamente por", slot.full_name,
                            RoleLine(s.role, s.representation), AppearanceTime(when)};
      r.reason = "Firma al calce del acta";
    }
    return r;
  }

  std::vector<keys::Certificate> Chain(const keys::Credential& c, bool rubric) const {
    std::vector<keys::Certificate> chain = {c.CertificateFor(rubric)};
    chain.insert(chain.end(), c.chain.begin(), c.chain.end());
    return chain;
  }

  Result<std::string> SignWithKey(const SignatureRequest& req, const pdf::cos::PdfFile& file,
                                  const KeySigner& signer) const {
    const keys::Credential& cred = signer.unlocked.credential;
    ASSIGN_OR_RETURN(pdf::RequiredSigner who, SignerIn(file, req.signer, cred));
    return signing::SignPdf(file, Request(req.kind, who, req.signer, clock.Now()), signer.unlocked.key,
                            Chain(cred, req.kind == SignatureKind::kRubric), &tsa);
  }

  Result<std::string> SignWithDevice(const SignatureRequest& req, const pdf::cos::PdfFile& file,
                                     const DeviceSigner& signer) const {
    if (signer.state.input_blob_id != req.input_blob_id || signer.state.kind != static_cast<int>(req.kind) ||
        signer.state.person_id != req.signer.person_id) {
      return EngineError(ErrorKind::kConflict, "revision_moved",
                         "the external signature was prepared for another revision, field or person",
                         "El acta cambió desde que se preparó la firma; prepárela de nuevo.");
    }
    ASSIGN_OR_RETURN(pdf::RequiredSigner who, SignerIn(file, req.signer, signer.credential));
    auto chain = Chain(signer.credential, req.kind == SignatureKind::kRubric);
    ASSIGN_OR_RETURN(auto prepared, signing::PrepareExternalPdfSignature(
                                        file, Request(req.kind, who, req.signer, signer.state.at), chain[0], chain));
    return signing::FinalizeExternalPdfSignature(prepared, signer.value, chain, &tsa);
  }
};

PdfActaEngine::PdfActaEngine(store::BlobStore& blobs, keys::KeyStore& keys, const keys::LocalCa& ca,
                             const keys::TrustStore& trust, signing::TimestampClient& tsa,
                             const Clock& clock, Logger& logger, PdfActaEngineOptions options)
    : impl_(new Impl{blobs, keys, ca, trust, tsa, clock, logger, options,
                     TimeZone::Load(options.time_zone).ok() ? *TimeZone::Load(options.time_zone)
                                                            : TimeZone::Utc()}) {
  std::string& url = impl_->options.public_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
}

PdfActaEngine::~PdfActaEngine() = default;

Status PdfActaEngine::CheckContent(std::string_view content_json) const {
  return pdf::ParseActaJson(content_json).status();
}

Result<workflows::DraftDocument> PdfActaEngine::RenderDraft(
    const workflows::DraftRequest& req) const {
  ASSIGN_OR_RETURN(pdf::ActaDocument acta, pdf::ParseActaJson(req.content_json));
  acta.kind = req.kind == "installation" ? pdf::ActaKind::kInstallation : pdf::ActaKind::kSession;
  if (acta.secretariat.empty()) acta.secretariat = req.secretariat_name;
  pdf::RenderOptions ro;
  ro.draft = true;
  ro.version = std::max(1, req.version);
  ro.created_at = impl_->clock.Now();
  ro.time_zone = impl_->zone.name();
  ro.font_dir = impl_->options.font_dir;
  ASSIGN_OR_RETURN(pdf::RenderedActa rendered, pdf::RenderActa(acta, ro));
  return workflows::DraftDocument{std::move(rendered.pdf), rendered.pages};
}

Result<workflows::Certification> PdfActaEngine::RenderAndCertify(const CertifyRequest& req) {
  // The cadena printed on the last page must be the content rendered on the others.
  if (!req.content_sha256.empty() && req.content_sha256 != Sha256Hex(req.content_json)) {
    return EngineError(ErrorKind::kInvalidArgument, "content_hash_mismatch",
                       "acta " + std::to_string(req.acta_id) + ": content_sha256 " + req.content_sha256 +
                           " is not the SHA-256 of the approved content",
                       "La huella del contenido aprobado no corresponde a su texto; no se certificó el acta.");
  }
  ASSIGN_OR_RETURN(pdf::ActaDocument acta, pdf::ParseActaJson(req.content_json));
  acta.id = "acta-" + std::to_string(req.acta_id) + "-r" + std::to_string(req.approval_round);
  acta.kind = req.kind == "installation" ? pdf::ActaKind::kInstallation : pdf::ActaKind::kSession;
  if (acta.secretariat.empty()) acta.secretariat = req.secretariat_name;
  if (!req.title.empty()) acta.title = req.title;
  pdf::SignaturePlan plan;
  plan.approved_on = DateText(req.approved_on);
  plan.time_zone = impl_->zone.name();
  workflows::Certification out;
  for (const SignerSlot& slot : req.signers) {
    pdf::RequiredSigner s;
    s.name = slot.full_name;
    s.seat = slot.represents;
    // Printed as they are written here: the role and the post in the signer's gender.
    s.role = RoleOf(slot.capacity, slot.gender);
    s.representation = lang::AgreePost(slot.title, slot.gender);
    // Bind the signer to the key they hold now, server-held first (rubric and foot
    // certificates share it); later keys do not change this acta's binding.
    SignerSlot newest = slot;
    newest.key_sha256.clear();
    auto credential = impl_->CredentialOf(newest, false);
    if (!credential.ok()) credential = impl_->CredentialOf(newest, true);
    if (credential.ok()) {
      s.identity.public_key_sha256 = Impl::KeyHash(*credential);
      out.bound_keys.emplace_back(slot.person_id, s.identity.public_key_sha256);
    }
    plan.signers.push_back(std::move(s));
  }
  pdf::RenderOptions ro;
  ro.version = std::max(1, req.version);
  ro.created_at = impl_->clock.Now();
  ro.time_zone = impl_->zone.name();
  ro.font_dir = impl_->options.font_dir;
  ro.plan = std::move(plan);
  ro.folio = req.folio;
  ro.content_sha256 = req.content_sha256;
  if (!req.folio.empty() && !req.content_sha256.empty()) ro.public_url = impl_->options.public_url;
  ASSIGN_OR_RETURN(pdf::RenderedActa rendered, pdf::RenderActa(acta, ro));

  ASSIGN_OR_RETURN(keys::SigningKey seal_key, impl_->ca.UnlockSealKey());
  std::vector<keys::Certificate> chain = {impl_->ca.seal_certificate()};
  for (const auto& c : impl_->ca.Chain()) chain.push_back(c);
  pdf::cos::SignatureRequest sr;
  sr.kind = pdf::cos::SignatureKind::kCertification;
  sr.field = std::string(pdf::kCertificationFieldName);
  sr.name = impl_->ca.secretariat();
  sr.reason = "Certificación de la versión aprobada (versión " + std::to_string(ro.version) + ")";
  sr.location = impl_->options.location;
  sr.pdf_date = PdfDate(impl_->zone, impl_->clock.Now());
  ASSIGN_OR_RETURN(std::string certified, signing::SignPdf(rendered.pdf, sr, seal_key, chain, &impl_->tsa));
  ASSIGN_OR_RETURN(out.blob_id, impl_->blobs.Put(certified));
  impl_->logger.Info("engine.certified", {{"acta_id", req.acta_id}, {"blob", out.blob_id}, {"pages", rendered.pages}});
  return out;
}

Result<std::unique_ptr<UnlockedSigner>> PdfActaEngine::Unlock(const SignerSlot& signer,
                                                              SigningCredential credential) {
  // Held here so that the PIN is wiped when this returns, whatever the caller does next.
  const SigningCredential held = std::move(credential);
  const int64_t person_id = signer.person_id;
  if (held.is_pin()) {
    ASSIGN_OR_RETURN(keys::Credential cred, impl_->CredentialOf(signer, false));
    ASSIGN_OR_RETURN(keys::UnlockedCredential unlocked, impl_->keys.Unlock(cred.id, held.pin().view()));
    return std::unique_ptr<UnlockedSigner>(new KeySigner(std::move(unlocked)));
  }
  const workflows::DeviceSignature& device = held.device();
  ASSIGN_OR_RETURN(ExternalState state, ParseExternalState(device.prepared_state));
  if (device.signature_value.empty() || device.signature_value.size() > 16 * 1024) {
    return EngineError(ErrorKind::kInvalidArgument, "bad_credential",
                       "the device's signature value is empty or too large",
                       "La firma enviada por el dispositivo no tiene el formato esperado.");
  }
  ASSIGN_OR_RETURN(keys::Credential cred, impl_->keys.Get(state.credential_id));
  if (cred.holder_id != HolderIdFor(person_id) || !cred.active()) {
    return EngineError(ErrorKind::kPermissionDenied, "wrong_credential",
                       "credential " + std::to_string(cred.id) + " is not an active credential of the signer",
                       "El certificado no pertenece a quien firma o ya no está vigente.");
  }
  return std::unique_ptr<UnlockedSigner>(new DeviceSigner(std::move(state), device.signature_value, std::move(cred)));
}

Result<std::string> PdfActaEngine::ApplySignature(const SignatureRequest& req, UnlockedSigner& signer) {
  ASSIGN_OR_RETURN(std::string input, impl_->blobs.Get(req.input_blob_id));
  // Parsed once: the signer list is read from, and the new revision appended to, this file.
  ASSIGN_OR_RETURN(pdf::cos::PdfFile file, pdf::cos::PdfFile::OpenView(input));
  Result<std::string> signed_pdf = Status::Ok();
  if (auto* key = dynamic_cast<KeySigner*>(&signer)) {
    signed_pdf = impl_->SignWithKey(req, file, *key);
  } else if (auto* device = dynamic_cast<DeviceSigner*>(&signer)) {
    signed_pdf = impl_->SignWithDevice(req, file, *device);
  } else {
    return Status::Error(ErrorKind::kInternal, "engine.foreign_signer",
                         "ApplySignature was given a signer this engine did not unlock");
  }
  if (!signed_pdf.ok()) return signed_pdf.status();
  ASSIGN_OR_RETURN(std::string id, impl_->blobs.Put(*signed_pdf));
  impl_->logger.Info("engine.signed", {{"acta_id", req.acta_id},
                                       {"kind", req.kind == SignatureKind::kRubric ? "rubric" : "foot"},
                                       {"person_id", req.signer.person_id},
                                       {"blob", id}});
  return id;
}

Result<ExternalPreparation> PdfActaEngine::PrepareExternal(const SignatureRequest& req) {
  ASSIGN_OR_RETURN(std::string input, impl_->blobs.Get(req.input_blob_id));
  ASSIGN_OR_RETURN(pdf::cos::PdfFile file, pdf::cos::PdfFile::OpenView(input));
  ASSIGN_OR_RETURN(keys::Credential cred, impl_->CredentialOf(req.signer, true));
  ASSIGN_OR_RETURN(pdf::RequiredSigner who, impl_->SignerIn(file, req.signer, cred));
  const bool rubric = req.kind == SignatureKind::kRubric;
  ExternalState state{req.input_blob_id, static_cast<int>(req.kind), req.signer.person_id, cred.id,
                      Instant(std::chrono::floor<std::chrono::seconds>(impl_->clock.Now()))};
  auto chain = impl_->Chain(cred, rubric);
  ASSIGN_OR_RETURN(auto prepared, signing::PrepareExternalPdfSignature(
                                      file, impl_->Request(req.kind, who, req.signer, state.at), chain[0], chain));
  ExternalPreparation out;
  out.state = SerializeExternalState(state);
  out.signed_attributes = prepared.cms.signed_attributes;
  out.digest_to_sign = prepared.cms.digest_to_sign;
  out.algorithm = chain[0].KeyType() == "RSA" ? "RSASSA-PKCS1-v1_5-SHA256" : "ECDSA-SHA256";
  out.certificate_sha256 = chain[0].FingerprintSha256();
  return out;
}

Result<std::string> PdfActaEngine::Seal(const SealRequest& req) {
  ASSIGN_OR_RETURN(std::string input, impl_->blobs.Get(req.input_blob_id));
  // Validation material for verifiers decades from now: the chain, the TSA and seal
  // certificates, and the CRLs of both CAs issued now, after every signature they vouch for.
  std::vector<std::string> certs;
  for (const auto& c : impl_->ca.Chain()) certs.push_back(c.der());
  certs.push_back(impl_->ca.tsa_certificate().der());
  certs.push_back(impl_->ca.seal_certificate().der());
  ASSIGN_OR_RETURN(std::vector<std::string> crls, impl_->ca.CrlsIssuedSince(impl_->clock.Now()));
  ASSIGN_OR_RETURN(std::string sealed, signing::SealPdf(input, "sello_archivo", certs, crls, impl_->tsa));
  ASSIGN_OR_RETURN(std::string id, impl_->blobs.Put(sealed));
  impl_->logger.Info("engine.sealed", {{"acta_id", req.acta_id}, {"blob", id}});
  return id;
}

Result<workflows::RenewalOutcome> PdfActaEngine::Renew(const workflows::RenewRequest& req) {
  return RenewArchivedActa(req, {impl_->blobs, impl_->ca, impl_->tsa, impl_->clock, impl_->logger});
}

Result<std::string> PdfActaEngine::MakeCertifiedCopy(const workflows::CertifiedCopyRequest& req) {
  ASSIGN_OR_RETURN(std::string sealed, impl_->blobs.Get(req.sealed_blob_id));
  const CopyMaker maker{impl_->ca,    impl_->trust,      impl_->tsa,
                        impl_->clock, impl_->zone,       impl_->options.font_dir,
                        impl_->options.location};
  ASSIGN_OR_RETURN(std::string zip, MakeCertifiedCopyZip(maker, req, sealed));
  ASSIGN_OR_RETURN(std::string id, impl_->blobs.Put(zip));
  impl_->logger.Info("engine.certified_copy", {{"acta_id", req.acta_id}, {"sealed", req.sealed_blob_id}, {"blob", id}});
  return id;
}

}  // namespace rubrica::documents
