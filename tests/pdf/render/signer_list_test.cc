// firmantes.json: what the verifier reads back is exactly what the renderer wrote, and a
// damaged or forged list is refused with the path of the problem.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rubrica/pdf/signature_plan.h"

namespace rubrica::pdf {
namespace {

SignaturePlan TwoSigners() {
  SignaturePlan plan;
  plan.approved_on = "2023-03-16";
  RequiredSigner a;
  a.name = "Ing. Tomás Ibarra Zepeda";
  a.seat = "Sociedad civil";
  a.role = "titular";
  a.representation = "Red Vecinal \"Zamora Participa\"\nPresidente";
  a.certificate_sha256 = std::string(64, 'a');
  a.identity = {"IAZT800101HMNBPM09", "IAZT800101AB1", "tomas@zamora.example"};
  RequiredSigner b;
  b.name = "Mtra. Verónica Itzel Paredes Núñez";
  b.role = "facilitador";
  plan.signers = {a, b};
  return plan;
}

SignedActaSummary Summary() {
  return {"stm-zamora-2023-03-16",
          "ACTA DE LA TERCERA SESIÓN ORDINARIA",
          "sesion",
          "STM de Zamora",
          "2023-03-16",
          "America/Mexico_City",
          4};
}

TEST(SignerListTest, RoundTripsExactlyWhatWasWritten) {
  const SignerList list = MakeSignerList(Summary(), TwoSigners());
  ASSERT_EQ(list.signers.size(), 2u);
  EXPECT_EQ(list.signers[1].index, 2);
  EXPECT_EQ(list.signers[1].fields, (SignerFields{"rubrica_2", "marca_2", "firma_2"}));
  const std::string json = SignerListToJson(list);
  auto back = SignerListFromJson(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, list);
  EXPECT_EQ(SignerListToJson(*back), json);
}

// The verifier reads firmantes.json from signed PDFs: its bytes never change.
TEST(SignerListTest, LayoutIsPinnedByteForByte) {
  SignaturePlan plan;
  plan.approved_on = "2023-03-16";
  RequiredSigner a;
  a.name = "Ana \"N\"";
  a.role = "titular";
  plan.signers = {a};
  EXPECT_EQ(SignerListToJson(MakeSignerList(Summary(), plan)),
            "{\"version\":1,\n"
            " \"acta\":{\"id\":\"stm-zamora-2023-03-16\",\"title\":\"ACTA DE LA TERCERA SESIÓN "
            "ORDINARIA\",\"kind\":\"sesion\",\"secretariat\":\"STM de Zamora\",\"approved_on\":"
            "\"2023-03-16\",\"time_zone\":\"America/Mexico_City\",\"version\":4},\n"
            " \"signers\":[\n"
            "  {\"index\":1,\"name\":\"Ana \\\"N\\\"\",\"seat\":\"\",\"role\":\"titular\","
            "\"representation\":\"\",\"certificate_sha256\":\"\",\"identity\":{\"curp\":\"\","
            "\"rfc\":\"\",\"email\":\"\",\"public_key_sha256\":\"\"},\"fields\":{\"rubric\":"
            "\"rubrica_1\",\"mark\":\"marca_1\",\"foot\":\"firma_1\"}}]}\n");
}

TEST(SignerListTest, KeysAppearInTheDocumentedOrder) {
  const std::string json = SignerListToJson(MakeSignerList(Summary(), TwoSigners()));
  std::vector<std::string> keys = {"\"version\":1",
                                   "\"acta\":",
                                   "\"id\":",
                                   "\"title\":",
                                   "\"kind\":",
                                   "\"secretariat\":",
                                   "\"approved_on\":",
                                   "\"time_zone\":",
                                   "\"version\":4",
                                   "\"signers\":",
                                   "\"index\":1",
                                   "\"name\":",
                                   "\"seat\":",
                                   "\"role\":",
                                   "\"representation\":",
                                   "\"certificate_sha256\":",
                                   "\"identity\":",
                                   "\"curp\":",
                                   "\"rfc\":",
                                   "\"email\":",
                                   "\"fields\":",
                                   "\"rubric\":\"rubrica_1\"",
                                   "\"mark\":\"marca_1\"",
                                   "\"foot\":\"firma_1\""};
  size_t at = 0;
  for (const std::string& k : keys) {
    size_t found = json.find(k, at);
    ASSERT_NE(found, std::string::npos) << k << " after " << at << " in " << json;
    at = found + k.size();
  }
}

TEST(SignerListTest, DamagedListsAreRefusedWithTheirPath) {
  const std::string good = SignerListToJson(MakeSignerList(Summary(), TwoSigners()));
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) s.replace(at, from.size(), to);
    return s;
  };
  struct Case {
    std::string json;
    std::string message_prefix;
  };
  const std::vector<Case> cases = {
      {replace("\"index\":2", "\"index\":3"), "signers[1].index: expected 2"},
      {replace("\"foot\":\"firma_2\"", "\"foot\":\"firma_1\""),
       "signers[1].fields.foot: expected \"firma_2\""},
      {replace("\"version\":1,", "\"version\":2,"), "version: must be between 1 and 1"},
      {replace("\"kind\":\"sesion\"", "\"kind\":\"otra\""), "acta.kind: expected"},
      {replace("\"approved_on\":\"2023-03-16\"", "\"approved_on\":\"2023-02-30\""),
       "acta.approved_on: expected a date"},
      {replace(std::string(64, 'a'), std::string(64, 'A')),
       "signers[0].certificate_sha256: expected 64 lower-case hex digits"},
      {replace("\"email\":\"tomas@zamora.example\"", "\"mail\":\"x\""),
       "signers[0].identity.mail: unknown key"},
      {replace(",\"seat\":\"Sociedad civil\"", ""), "signers[0].seat: missing"},
      {replace("\"name\":\"Ing. Tomás Ibarra Zepeda\"", "\"name\":\"\""), "signers[0].name: empty"},
      {"[]", "$: expected an object, found an array"},
      {"{", "$: expected a string at line 1, column 2"},
      {std::string(2u << 20, ' '), "$: JSON text larger than"},
  };
  for (const Case& c : cases) {
    auto r = SignerListFromJson(c.json);
    ASSERT_FALSE(r.ok()) << c.message_prefix;
    EXPECT_EQ(r.status().code(), "pdf.bad_signer_list");
    EXPECT_EQ(r.status().message().rfind(c.message_prefix, 0), 0u)
        << c.message_prefix << " vs " << r.status().message().substr(0, 200);
  }
}

TEST(SignerListTest, MoreSignersThanTheStripHoldsAreRefused) {
  SignaturePlan plan = TwoSigners();
  while (plan.signers.size() <= kMaxSigners) plan.signers.push_back(plan.signers[0]);
  EXPECT_EQ(ValidateSignaturePlan(plan).code(), "pdf.bad_signature_plan");
  auto r = SignerListFromJson(SignerListToJson(MakeSignerList(Summary(), plan)));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("signers: more than 24", 0), 0u) << r.status().message();
}

TEST(SignaturePlanTest, ValidationTable) {
  struct Case {
    const char* name;
    void (*mutate)(SignaturePlan&);
    std::string message_prefix;  // empty: valid
  };
  const std::vector<Case> cases = {
      {"valid", [](SignaturePlan&) {}, ""},
      {"no signers", [](SignaturePlan& p) { p.signers.clear(); }, "signers: expected 1 to 24"},
      {"bad date", [](SignaturePlan& p) { p.approved_on = "16/03/2023"; }, "approved_on:"},
      {"leap day ok", [](SignaturePlan& p) { p.approved_on = "2024-02-29"; }, ""},
      {"not a leap year", [](SignaturePlan& p) { p.approved_on = "2023-02-29"; }, "approved_on:"},
      {"nameless", [](SignaturePlan& p) { p.signers[1].name.clear(); }, "signers[1].name: missing"},
      {"bad fingerprint", [](SignaturePlan& p) { p.signers[1].certificate_sha256 = "abc"; },
       "signers[1].certificate_sha256:"},
      {"bad UTF-8", [](SignaturePlan& p) { p.signers[0].seat = "\xC0\x80"; },
       "signers[0].seat: invalid UTF-8"},
      {"long text", [](SignaturePlan& p) { p.signers[0].representation = std::string(1001, 'x'); },
       "signers[0].representation: longer than 1000 bytes"},
  };
  for (const Case& c : cases) {
    SignaturePlan plan = TwoSigners();
    c.mutate(plan);
    Status s = ValidateSignaturePlan(plan);
    if (c.message_prefix.empty()) {
      EXPECT_TRUE(s.ok()) << c.name << ": " << s.ToString();
    } else {
      EXPECT_EQ(s.code(), "pdf.bad_signature_plan") << c.name;
      EXPECT_EQ(s.message().rfind(c.message_prefix, 0), 0u) << c.name << ": " << s.message();
    }
  }
}

}  // namespace
}  // namespace rubrica::pdf
