#include "pades/signed_acta.h"

#include <gtest/gtest.h>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/pdf/acta_json.h"
#include "rubrica/pdf/render.h"
#include "rubrica/signing/pades_signer.h"

namespace rubrica::pades_testing {

using pdf::cos::SignatureKind;
using pdf::cos::SignatureRequest;

namespace {

// Up to 24 members (kMaxSigners).
const char* kNames[] = {"Ana Núñez Ficticia", "Beto Ruiz Inventado", "Carla Díaz Supuesta",
                        "Daniel Ortega Imaginario", "Elena Paz Ejemplo", "Fernanda Luna Ficticia",
                        "Gerardo Sol Inventado", "Hilda Mar Supuesta", "Ignacio Río Imaginario",
                        "Julia Nube Ejemplo", "Karla Monte Ficticia", "Luis Valle Inventado",
                        "Marta Bosque Supuesta", "Nora Lago Inventada", "Óscar Prado Ficticio",
                        "Paula Cerro Supuesta", "Quirino Roca Imaginario", "Rosa Llano Ejemplo",
                        "Samuel Vega Ficticio", "Tania Costa Inventada", "Ulises Soto Supuesto",
                        "Valeria Mesa Imaginaria", "Wenceslao Cruz Ejemplo", "Ximena Isla Ficticia"};

}  // namespace

SignatureRequest SignedActa::Request(SignatureKind kind, int k) {
  SignatureRequest r;
  r.kind = kind;
  r.pdf_date = "D:20260314113000-06'00'";
  std::string ks = std::to_string(k);
  switch (kind) {
    case SignatureKind::kCertification:
      r.field = "certificacion";
      r.reason = "Certificación de la versión aprobada";
      break;
    case SignatureKind::kRubric:
      r.field = "rubrica_" + ks;
      r.mark_field = "marca_" + ks;
      r.mark_value = "Rubricado por " + std::string(kNames[k - 1]);
      r.mark_initials = std::string(kNames[k - 1]).substr(0, 1);
      r.mark_lines = {kNames[k - 1], "14/03/2026"};
      break;
    default:
      r.field = "firma_" + ks;
      r.appearance_lines = {"Firmado electrónicamente por", kNames[k - 1], "Integrante",
                            "2026-03-14 11:30:00 -06:00"};
  }
  return r;
}

SignedActa::SignedActa(const std::string& fixture, int signers) {
  tsa_ = std::make_unique<signing::testing::TsaServer>(pki_);
  client_ = signing::HttpTimestampClient::Create(tsa_->url()).value();
  anchor_path_ = dir_ / "ca.pem";
  EXPECT_TRUE(WriteFileAtomic(anchor_path_, pki_.ca().ToPem()).ok());
  seal_.emplace(pki_.Issue(keys::KeyAlgorithm::kEcdsaP256, "Sello del Secretariado de Prueba"));
  for (int k = 1; k <= signers; ++k) {
    std::string name = kNames[k - 1];
    signing::testing::Identity foot = pki_.Issue(keys::KeyAlgorithm::kEcdsaP256, name);
    std::string pem = "-----BEGIN PUBLIC KEY-----\n" + Base64Encode(foot.key.PublicKeyInfoDer()) +
                      "\n-----END PUBLIC KEY-----\n";
    keys::Certificate rubric = pki_.IssueForPublicKey(pem, name);
    members_.push_back(Member{name, std::move(foot), rubric});
  }
  auto json = ReadFile(rubrica::testing::SourceDir() + "/tests/fixtures/actas/" + fixture);
  EXPECT_TRUE(json.ok());
  auto acta = pdf::ParseActaJson(*json);
  EXPECT_TRUE(acta.ok()) << acta.status().ToString();
  pdf::RenderOptions o;
  o.created_at = signing::testing::TestInstant();
  pdf::SignaturePlan plan;
  plan.approved_on = "2026-03-14";
  for (const Member& m : members_) {
    pdf::RequiredSigner s;
    s.name = m.name;
    s.seat = "Sociedad civil";
    s.role = "titular";
    s.representation = "Integrante del secretariado";
    s.identity.public_key_sha256 = Sha256Hex(m.foot.key.PublicKeyInfoDer());
    plan.signers.push_back(s);
  }
  o.plan = plan;
  auto rendered = pdf::RenderActa(*acta, o);
  EXPECT_TRUE(rendered.ok()) << rendered.status().ToString();
  stages_ = SignEverything(rendered->pdf);
}

std::vector<std::string> SignedActa::SignEverything(const std::string& approved) {
  std::vector<std::string> stages = {approved};
  std::string pdf = SignWith(approved, Request(SignatureKind::kCertification, 0), *seal_, pki_.ca());
  stages.push_back(pdf);
  const int n = static_cast<int>(members_.size());
  for (int k = 1; k <= n; ++k) {
    pdf = SignAs(pdf, Request(SignatureKind::kRubric, k), k);
    stages.push_back(pdf);
  }
  for (int k = 1; k <= n; ++k) {
    pdf = SignAs(pdf, Request(SignatureKind::kFoot, k), k);
    stages.push_back(pdf);
  }
  return stages;
}

std::string SignedActa::SignAs(const std::string& pdf, SignatureRequest req, int k) {
  Member& m = members_.at(k - 1);
  keys::Certificate cert = req.kind == SignatureKind::kRubric ? m.rubric_certificate : m.foot.cert;
  auto out = signing::SignPdf(pdf, std::move(req), m.foot.key, {cert, pki_.ca()}, client_.get());
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? *out : pdf;
}

std::string SignedActa::SignWith(const std::string& pdf, SignatureRequest req,
                                 const signing::testing::Identity& id, const keys::Certificate& ca) {
  auto out = signing::SignPdf(pdf, std::move(req), id.key, {id.cert, ca}, client_.get());
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? *out : pdf;
}

}  // namespace rubrica::pades_testing
