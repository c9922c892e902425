// manifest.xml of a monthly package (schema docs/manifiesto-paquete.xsd, namespace
// urn:rubrica:paquete-mensual:1; see docs/delivery.md): who sends it to whom, for which
// month, each acta with its files (SHA-256 and size), kind, date, session, signers and
// state, and what is missing or late with the reason in Spanish. Written and read here;
// signing and checking the signature are the package builder's and verifier's.
// Pure functions: thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/status.h"

namespace rubrica::delivery {

inline constexpr const char* kManifestNamespace = "urn:rubrica:paquete-mensual:1";
inline constexpr const char* kManifestEntry = "manifest.xml";

/// Roles of a file in the package.
inline constexpr const char* kRoleSealedActa = "acta_sellada";
inline constexpr const char* kRoleCertifiedCopy = "copia_certificada";

struct ManifestFile {
  std::string path;  // entry name in the ZIP
  std::string role;  // kRoleSealedActa or kRoleCertifiedCopy
  std::string sha256;
  uint64_t bytes = 0;
};

struct ManifestSigner {
  std::string name;
  std::string capacity;  // "titular", "substitute", "facilitator", "subscriber"
};

struct ManifestActa {
  int64_t id = 0;
  std::string folio;
  std::string kind;  // "installation" or "session_minute"
  std::string date;  // YYYY-MM-DD
  std::optional<int64_t> session_id;
  std::string state;
  std::string title;
  std::vector<ManifestSigner> signers;
  std::vector<ManifestFile> files;
  std::string note_es;  // e.g. why the certified copy is absent; may be empty
};

struct ManifestPending {
  std::optional<int64_t> acta_id;
  std::optional<int64_t> session_id;
  std::string date;  // YYYY-MM-DD
  bool late = false;
  std::string title;
  std::vector<std::string> reasons;  // workflows::Obligation reason codes
  std::string explanation_es;
};

struct Manifest {
  int64_t secretariat_id = 0;
  std::string secretariat_name;
  std::string agency;
  std::string month;      // YYYY-MM
  std::string due_on;     // YYYY-MM-DD, last day of the month
  std::string time_zone;  // the secretariat's zone, in which due_on ends
  std::string generated_at;  // RFC 3339 UTC
  std::string supersedes;    // SHA-256 of the package this one corrects; empty if none
  std::vector<ManifestActa> actas;
  std::vector<ManifestPending> pending;
  /// Who must co-sign before the seal (docs/delivery.md, "Co-signature"): "garante" or
  /// "facilitator" (written <cofirma rol="garante|facilitador"/>); empty: nobody.
  std::string cosigner;
};

/// The co-signer's role as the manifest and Spanish text name it: "garante", "facilitador".
std::string CosignerRoleEs(std::string_view role);

/// The manifest's XML (UTF-8, unsigned).
std::string ManifestXml(const Manifest& m);
/// Reads a manifest (signed or not) back. delivery.bad_manifest (kRejected) when it does
/// not parse or lacks what the schema requires; call ValidateManifestSchema first.
Result<Manifest> ParseManifest(std::string_view xml);
/// Checks `xml` against docs/manifiesto-paquete.xsd (embedded). delivery.bad_manifest.
Status ValidateManifestSchema(std::string_view xml);
/// The embedded schemas (docs/manifiesto-paquete.xsd, docs/acuse-paquete.xsd).
std::string_view ManifestSchema();
std::string_view ReceiptSchema();

}  // namespace rubrica::delivery
