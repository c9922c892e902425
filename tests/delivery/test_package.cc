#include "delivery/test_package.h"

#include <chrono>
#include <cstdio>

#include "rubrica/base/crypto_util.h"
#include "rubrica/delivery/manifest.h"
#include "rubrica/delivery/package_zip.h"
#include "rubrica/delivery/packages.h"
#include "rubrica/delivery/receipt.h"

namespace rubrica::delivery::testing {

std::string ForgedActa(const std::string& pdf) {
  std::string forged = pdf;
  const size_t at = forged.find("stream\n", forged.size() / 10);
  if (at == std::string::npos || at + 27 >= forged.size()) return forged;
  forged[at + 27] = static_cast<char>(forged[at + 27] ^ 0x01);
  return forged;
}

Result<std::string> MakePackage(const PackageSender& sender, const std::vector<PackageActa>& actas) {
  Manifest m;
  m.secretariat_id = sender.secretariat_id;
  m.secretariat_name = sender.secretariat_name;
  m.agency = sender.agency;
  m.month = sender.month;
  ASSIGN_OR_RETURN(std::chrono::year_month ym, ParseMonth(sender.month));
  const std::chrono::year_month_day last = ym / std::chrono::last;
  char due[16];
  std::snprintf(due, sizeof due, "%04d-%02u-%02u", static_cast<int>(last.year()), static_cast<unsigned>(last.month()),
                static_cast<unsigned>(last.day()));
  m.due_on = due;
  m.time_zone = "America/Mexico_City";
  m.generated_at = sender.month + "-20T11:00:00Z";
  std::vector<ZipEntry> entries;
  int64_t id = sender.secretariat_id * 1000;
  for (const PackageActa& a : actas) {
    ManifestActa ma;
    ma.id = ++id;
    ma.folio = a.folio;
    ma.kind = "session_minute";
    ma.date = sender.month + "-14";
    ma.session_id = ma.id;
    ma.state = "archived";
    ma.title = "Sesión ordinaria " + a.folio;
    for (const std::string& name : a.signers) ma.signers.push_back({name, "titular"});
    const std::string path = "actas/" + a.folio + ".pdf";
    ma.files.push_back({path, kRoleSealedActa, Sha256Hex(*a.pdf), a.pdf->size()});
    ma.note_es = "La copia certificada de esta acta no está disponible en esta instalación; "
                 "se entrega el acta sellada para archivo.";
    entries.push_back({path, *a.pdf});
    m.actas.push_back(std::move(ma));
  }
  const std::string xml = ManifestXml(m);
  RETURN_IF_ERROR(ValidateManifestSchema(xml));
  ASSIGN_OR_RETURN(std::string signed_xml,
                   SignXmlDocument(xml, *sender.seal_key, *sender.seal_cert, sender.chain, *sender.tsa));
  entries.insert(entries.begin(), ZipEntry{kManifestEntry, std::move(signed_xml)});
  return WriteZip(entries);
}

std::string JsonField(const std::string& json, const std::string& key) {
  const std::string needle = "\"" + key + "\":";
  size_t at = json.find(needle);
  if (at == std::string::npos) return "";
  at += needle.size();
  if (json[at] == '"') return json.substr(at + 1, json.find('"', at + 1) - at - 1);
  return json.substr(at, json.find_first_of(",}", at) - at);
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += what.size()) ++n;
  return n;
}

}  // namespace rubrica::delivery::testing
