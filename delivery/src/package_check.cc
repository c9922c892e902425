#include "rubrica/delivery/package_check.h"

#include <map>
#include <set>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/json_writer.h"
#include "xml_local.h"

namespace rubrica::delivery {

std::string ProblemsJson(const std::vector<CheckProblem>& problems) {
  JsonWriter w;
  w.BeginArray();
  for (const CheckProblem& p : problems) {
    w.BeginObject().Field("code", p.code).Field("message_es", p.message_es).Field("file", p.file);
    w.EndObject();
  }
  return w.EndArray().Take();
}

PackageCheck CheckPackage(const std::string& zip, const PackageCheckOptions& options) {
  PackageCheck c;
  c.sha256 = Sha256Hex(zip);
  c.bytes = zip.size();
  auto problem = [&](std::string code, std::string es, std::string file = "") {
    c.problems.push_back({std::move(code), std::move(es), std::move(file)});
  };
  auto entries = ReadZip(zip, options.limits);
  if (!entries.ok()) {
    problem(entries.status().code(), entries.status().message_es());
    return c;
  }
  std::map<std::string, const std::string*> files;
  for (const ZipEntry& e : *entries) files[e.name] = &e.bytes;
  auto mit = files.find(kManifestEntry);
  if (mit == files.end()) {
    problem("delivery.no_manifest", "El paquete no contiene manifest.xml.", kManifestEntry);
    return c;
  }
  const std::string& manifest_xml = *mit->second;
  if (Status s = ValidateManifestSchema(manifest_xml); !s.ok()) {
    problem("delivery.bad_manifest", "El manifiesto no es válido conforme a su esquema: " + s.message(), kManifestEntry);
    return c;
  }
  auto manifest = ParseManifest(manifest_xml);
  if (!manifest.ok()) {
    problem("delivery.bad_manifest", manifest.status().message_es(), kManifestEntry);
    return c;
  }
  c.manifest = *manifest;
  static const SystemClock kSystemClock;
  const Clock& clock = options.clock != nullptr ? *options.clock : kSystemClock;
  auto signer = xml::VerifyEnveloped(manifest_xml, options.trust_pem, clock, "delivery.bad_signature");
  if (!signer.ok()) {
    problem("delivery.bad_signature",
            "La firma del manifiesto no es válida o no proviene de un sello de confianza: el manifiesto fue "
            "alterado o firmado por otro.",
            kManifestEntry);
  } else {
    c.signer_der = signer->der();
    if (!options.expected_signer_der.empty() && signer->der() != options.expected_signer_der) {
      problem("delivery.unknown_sender",
              "El manifiesto está firmado con un sello distinto del registrado para el secretariado (" +
                  signer->SubjectCommonName() + ").",
              kManifestEntry);
    }
  }
  std::set<std::string> listed = {kManifestEntry};
  for (const ManifestActa& a : manifest->actas) {
    for (const ManifestFile& f : a.files) {
      listed.insert(f.path);
      auto it = files.find(f.path);
      if (it == files.end()) {
        problem("delivery.file_missing", "Falta el archivo " + f.path + " del acta " + a.folio + ".", f.path);
        continue;
      }
      const std::string& bytes = *it->second;
      const std::string hash = Sha256Hex(bytes);
      if (hash != f.sha256 || bytes.size() != f.bytes) {
        problem("delivery.file_altered",
                "El archivo " + f.path + " del acta " + a.folio +
                    " no coincide con el manifiesto (huella SHA-256 o tamaño distintos): fue alterado.",
                f.path);
        continue;
      }
      if (f.role == kRoleSealedActa) {
        CheckedActa ca{a.id, a.folio, hash, "no_verificada"};
        if (options.verify_acta) {
          ActaVerdict v = options.verify_acta(bytes);
          ca.verdict = v.verdict.empty() ? std::to_string(v.exit_code) : v.verdict;
          if (v.exit_code != 0) {
            problem("delivery.acta_invalid",
                    "El acta " + a.folio + " no es válida y completa según el verificador (" + ca.verdict + ").",
                    f.path);
          }
        }
        c.actas.push_back(std::move(ca));
      }
    }
  }
  for (const auto& [name, bytes] : files) {
    if (!listed.count(name)) {
      problem("delivery.file_unlisted", "El archivo " + name + " no figura en el manifiesto.", name);
    }
  }
  c.ok = c.problems.empty();
  return c;
}

}  // namespace rubrica::delivery
