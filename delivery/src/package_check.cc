#include "rubrica/delivery/package_check.h"

#include <map>
#include <set>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/json_writer.h"
#include "xml_local.h"

namespace rubrica::delivery {

namespace {

// The certificates of the signature's KeyInfo (<ds:X509Certificate>, base64), found by a
// plain text scan: only to choose what to trust (PackageCheckOptions::choose_trust), never
// what is trusted.
std::vector<std::string> KeyInfoCertificates(const std::string& xml) {
  std::vector<std::string> ders;
  for (size_t at = 0; ders.size() < 16;) {
    at = xml.find("X509Certificate>", at);  // an opening tag: the scan skips closing ones
    if (at == std::string::npos) break;
    at += 16;
    const size_t end = xml.find('<', at);
    if (end == std::string::npos) break;
    auto der = Base64Decode(std::string_view(xml).substr(at, end - at));
    if (der.ok() && !der->empty()) ders.push_back(std::move(*der));
    at = xml.find('>', end);  // past the closing tag
    if (at == std::string::npos) break;
  }
  return ders;
}

}  // namespace

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
  std::string trust_pem = options.trust_pem, expected_signer_der = options.expected_signer_der;
  if (options.choose_trust) options.choose_trust(KeyInfoCertificates(manifest_xml), trust_pem, expected_signer_der);
  auto signer = xml::VerifyEnveloped(manifest_xml, trust_pem, clock, "delivery.bad_signature");
  if (!signer.ok()) {
    problem("delivery.bad_signature",
            "La firma del manifiesto no es válida o no proviene de un sello de confianza: el manifiesto fue "
            "alterado o firmado por otro.",
            kManifestEntry);
  } else {
    c.signer_der = signer->der();
    if (!expected_signer_der.empty() && signer->der() != expected_signer_der) {
      problem("delivery.unknown_sender",
              "El manifiesto está firmado con un sello distinto del registrado para el secretariado (" +
                  signer->SubjectCommonName() + ").",
              kManifestEntry);
    }
  }
  auto judge = [&](CheckedActa& ca, const ActaVerdict& v, const std::string& path) {
    ca.verdict = v.verdict.empty() ? std::to_string(v.exit_code) : v.verdict;
    if (v.exit_code != 0) {
      problem("delivery.acta_invalid",
              "El acta " + ca.folio + " no es válida y completa según el verificador (" + ca.verdict + ").", path);
    }
  };
  struct Queued {
    size_t acta;  // index in c.actas
    const std::string* pdf;
    std::string path;
  };
  std::vector<Queued> batch;  // for verify_actas, once the hashes are checked
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
        if (options.verify_actas) {
          batch.push_back({c.actas.size(), &bytes, f.path});
        } else if (options.verify_acta) {
          judge(ca, options.verify_acta(bytes), f.path);
        }
        c.actas.push_back(std::move(ca));
      }
    }
  }
  if (!batch.empty()) {
    std::vector<const std::string*> pdfs;
    for (const Queued& q : batch) pdfs.push_back(q.pdf);
    const std::vector<ActaVerdict> verdicts = options.verify_actas(pdfs);
    for (size_t i = 0; i < batch.size(); ++i) {
      judge(c.actas[batch[i].acta], i < verdicts.size() ? verdicts[i] : ActaVerdict{2, "no_procesada"}, batch[i].path);
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
