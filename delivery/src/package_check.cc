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

namespace {

// The co-signature (docs/delivery.md, "Co-signature"), once the seal verified: required
// when the secretariat registered a co-signer, checked whenever present. The seal attests
// the role named in <cofirma>; the co-signer's certificate must chain to the same anchors
// and be valid when the seal's timestamp says the manifest was sealed.
void CheckCosignature(const std::string& manifest_xml, const Manifest& m, const std::string& trust_pem,
                      const std::string& required, const Clock& clock, Instant sealed_at, PackageCheck& c) {
  auto problem = [&](std::string code, std::string es) {
    c.problems.push_back({std::move(code), std::move(es), kManifestEntry});
  };
  auto cosigners = xml::VerifyCoSignatures(manifest_xml, trust_pem, clock, sealed_at, "delivery.cosignature_invalid");
  if (!cosigners.ok()) {
    problem("delivery.cosignature_invalid",
            "La cofirma del manifiesto no es válida o no es de confianza: " + cosigners.status().message_es());
    return;
  }
  if (!required.empty()) {
    if (cosigners->empty() || m.cosigner.empty()) {
      problem("delivery.cosignature_missing", "El manifiesto no lleva la cofirma del " + CosignerRoleEs(required) +
                                                  " que el secretariado registró ante el órgano garante.");
      return;
    }
    if (m.cosigner != required) {
      problem("delivery.cosignature_invalid", "El manifiesto está cofirmado por el " + CosignerRoleEs(m.cosigner) +
                                                  ", no por el " + CosignerRoleEs(required) +
                                                  " que el secretariado registró.");
      return;
    }
  }
  if (!cosigners->empty() && m.cosigner.empty()) {
    problem("delivery.cosignature_invalid", "El manifiesto lleva una cofirma sin nombrar el cargo de quien cofirma.");
    return;
  }
  if (cosigners->size() > 1) {
    problem("delivery.cosignature_invalid", "El manifiesto lleva más de una cofirma.");
    return;
  }
  for (const auto& s : *cosigners) c.cosigners.push_back({m.cosigner, s.name, s.certificate.der()});
}

}  // namespace

PackageCheck CheckPackage(const std::string& zip, const PackageCheckOptions& options) {
  PackageCheck c;
  c.sha256 = options.sha256.empty() ? Sha256Hex(zip) : options.sha256;
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
  std::string required_cosigner = options.required_cosigner;
  if (options.choose_trust) {
    options.choose_trust(xml::SealKeyInfoCertificates(manifest_xml), trust_pem, expected_signer_der,
                         required_cosigner);
  }
  Instant sealed_at{};
  auto signer = xml::VerifyEnveloped(manifest_xml, trust_pem, clock, "delivery.bad_signature",
                                     /*cosigned=*/true, &sealed_at);
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
    CheckCosignature(manifest_xml, *manifest, trust_pem, required_cosigner, clock, sealed_at, c);
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
