// A monthly package made from PDFs in memory, for tests and benches that need many packages
// without a secretariat's database: the package builder's own steps after it has read the
// month's archived actas (delivery::ManifestXml, ValidateManifestSchema, SignXmlDocument by
// the seal with a signature-time-stamp, WriteZip), as delivery::Packages::Build runs them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/keys/signing_key.h"
#include "rubrica/signing/timestamp_client.h"

namespace rubrica::delivery::testing {

struct PackageActa {
  std::string folio;         // the entry is actas/<folio>.pdf
  const std::string* pdf;    // the sealed acta, listed with its SHA-256 and size
  std::vector<std::string> signers;  // names, as titulares
};

struct PackageSender {
  int64_t secretariat_id = 1;
  std::string secretariat_name;
  std::string agency;
  std::string month = "2026-03";  // due on its last day, America/Mexico_City
  const keys::SigningKey* seal_key = nullptr;
  const keys::Certificate* seal_cert = nullptr;
  std::vector<keys::Certificate> chain;
  signing::TimestampClient* tsa = nullptr;
};

/// The package's ZIP: manifest.xml first (signed), then each acta's PDF.
Result<std::string> MakePackage(const PackageSender& sender, const std::vector<PackageActa>& actas);

/// `pdf` (a signed acta) with one byte changed inside the first content stream found after
/// its first tenth, a byte every signature's range covers: a forged acta the verifier must
/// find altered. Unchanged when there is no such stream.
std::string ForgedActa(const std::string& pdf);

/// The value of the first "key": in a flat JSON text (the inbox's log lines and month view).
std::string JsonField(const std::string& json, const std::string& key);
/// How many times `what` occurs in `text`.
size_t Count(const std::string& text, const std::string& what);

}  // namespace rubrica::delivery::testing
