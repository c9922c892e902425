// The transparency agency's inbox (`rubrica serve --agency`): the receiving end of the
// monthly packages (issue 15). It knows each secretariat by its seal certificate
// (registered with its trust anchor), checks every package it receives
// (delivery::CheckPackage: the ZIP, the manifest's schema and signature, every hash, every
// sealed acta with the PDF verifier in its sandbox) and answers a receipt, or a refusal
// naming each reason, signed with XMLDSig by the agency's own seal. Every package is kept
// content-addressed (blob id = SHA-256) and answered once: the same bytes sent again get
// the original answer, and nothing is recorded twice.
//
// Tables (component "agency", the agency's own database): agency_secretariats,
// agency_packages. Thread-safe: concurrent receipts of the same package are serialised on
// its hash.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/keyed_mutex.h"
#include "rubrica/base/status.h"
#include "rubrica/delivery/package_check.h"
#include "rubrica/keys/local_ca.h"
#include "rubrica/signing/timestamp_client.h"
#include "rubrica/store/blob_store.h"
#include "rubrica/store/database.h"

namespace rubrica::server::agency {

inline constexpr std::string_view kComponent = "agency";
const std::vector<store::Migration>& Migrations();

struct RegisteredSecretariat {
  int64_t id = 0;
  std::string name;
  std::string seal_der;
  std::string ca_pem;
  std::string time_zone;
  /// "garante" or "facilitator": its manifests must carry that co-signature, the
  /// co-signer's certificate chaining to `ca_pem` (docs/delivery.md); "": none required.
  std::string cosigner;
};

/// Verifies the sealed actas of one package (the PDFs), each in full, trusting the anchors
/// in the PEM given; the i-th verdict is the i-th PDF's. Null: the actas are checked by hash
/// only.
using ActaVerifier = std::function<std::vector<delivery::ActaVerdict>(const std::vector<const std::string*>& pdfs,
                                                                      const std::string& trust_pem)>;

struct InboxAnswer {
  bool accepted = false;
  bool repeat = false;  // the same package was answered before: this is that answer
  std::string package_sha256;
  std::string receipt_xml;  // signed
};

class Inbox {
 public:
  /// `tsa` (the agency's own) timestamps each answer's signature; may be null for an inbox
  /// that only registers secretariats.
  Inbox(store::Database& db, const store::BlobStore& blobs, const keys::LocalCa& ca, signing::TimestampClient* tsa,
        const Clock& clock, std::string agency_name, ActaVerifier verify_acta)
      : db_(db), blobs_(blobs), ca_(ca), tsa_(tsa), clock_(clock), agency_name_(std::move(agency_name)),
        verify_acta_(std::move(verify_acta)) {}

  /// Registers a secretariat by its seal certificate (PEM or DER) and the anchor it chains
  /// to (PEM), and the co-signer its manifests must carry ("", "garante", "facilitator").
  /// agency.bad_registration (kInvalidArgument), agency.already_registered (kConflict) for
  /// a seal registered before, unless `update`: then that registration takes the name,
  /// anchors, zone and co-signer given (packages received from then on are checked
  /// against them; those answered before keep their answer). Audited "agency.register" /
  /// "agency.registration_update" (before and after) in the agency's audit log, as `actor`.
  Result<int64_t> Register(const std::string& name, const std::string& seal_cert, const std::string& ca_pem,
                           const std::string& time_zone, const std::string& cosigner = "", bool update = false,
                           std::string_view actor = "cli:agency");
  Result<std::vector<RegisteredSecretariat>> Secretariats() const;

  /// Checks and answers one package; `sha256` is its SHA-256 (64 lower-case hex) as the HTTP
  /// handler computed it for the Idempotency-Key. Fails only when the answer cannot be made
  /// or stored.
  Result<InboxAnswer> Receive(const std::string& zip, std::string sha256);

  /// The month's deliveries as JSON: every registered secretariat with the packages it
  /// sent for `month` (YYYY-MM), accepted or refused, on time or late.
  Result<std::string> MonthJson(const std::string& month) const;

 private:
  /// The secretariat registered with this seal certificate (DER), if any.
  Result<std::optional<RegisteredSecretariat>> FindBySeal(const std::string& seal_der) const;
  /// Every registered anchor bundle, each distinct one once (PEM).
  Result<std::string> AllAnchors() const;
  Result<bool> AnyRegistered() const;
  /// The agency's seal key, unlocked once per seal certificate.
  Result<std::shared_ptr<const keys::SigningKey>> SealKey() const;

  store::Database& db_;
  const store::BlobStore& blobs_;
  const keys::LocalCa& ca_;
  signing::TimestampClient* tsa_;
  const Clock& clock_;
  std::string agency_name_;
  ActaVerifier verify_acta_;
  mutable KeyedMutex by_hash_;
  mutable std::mutex seal_mu_;
  mutable std::shared_ptr<const keys::SigningKey> seal_;  // shared with receipts being signed
  mutable std::string seal_cert_der_;  // keyed by the first 60 bits of the package hash
};

}  // namespace rubrica::server::agency
