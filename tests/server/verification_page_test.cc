// The page a printed acta points to (its QR code, its footer): /verificar/<folio>, on the
// real service, and the person's grammatical gender through the API.
#include <gtest/gtest.h>

#include "api_world.h"
#include "rubrica/base/files.h"

namespace rubrica::server::testing {
namespace {

TEST(VerificationPageTest, TheFolioPrintedOnAnActaLeadsToItsPageAndItsPdf) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  w.AdvanceTo(Stage::kDelivered);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  Reply acta = w.As("garante").Get("/api/actas/" + std::to_string(w.acta));
  ASSERT_EQ(acta.status, 200) << Describe(acta);
  const std::string folio = acta.Str("folio");
  const std::string hash = acta.Str("approvals[0].content_sha256");
  EXPECT_EQ(folio.rfind("STM-", 0), 0u) << folio;
  ASSERT_EQ(hash.size(), 64u);

  Reply page = w.As("public").Get("/verificar/" + folio + "?sha256=" + hash);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.headers["content-type"], "text/html; charset=utf-8");
  const std::string csp = page.headers["content-security-policy"];
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  EXPECT_EQ(page.body.find("<script"), std::string::npos);
  EXPECT_NE(page.body.find("lang=\"es-MX\""), std::string::npos);
  EXPECT_NE(page.body.find("Verificación del acta " + folio), std::string::npos);
  EXPECT_NE(page.body.find(hash), std::string::npos);
  EXPECT_NE(page.body.find("coincide</strong> con la del contenido aprobado"), std::string::npos);
  EXPECT_NE(page.body.find("archivada"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("href=\"/verificar/" + folio + "/acta.pdf\""), std::string::npos);

  // The link leads to the archived PDF, the same the API serves.
  Reply pdf = w.As("public").Get("/verificar/" + folio + "/acta.pdf");
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.headers["content-type"], "application/pdf");
  EXPECT_EQ(pdf.body, w.As("archivist").Get("/api/actas/" + std::to_string(w.acta) + "/pdf").body);

  // The short form a QR code carries (<public_url>/v/<folio>/<HASH>) answers the same page.
  std::string upper = hash;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  Reply short_form = w.As("public").Get("/v/" + folio + "/" + upper);
  ASSERT_EQ(short_form.status, 200) << short_form.body;
  EXPECT_NE(short_form.body.find("Verificación del acta " + folio), std::string::npos);
  EXPECT_NE(short_form.body.find("coincide</strong> con la del contenido aprobado"), std::string::npos);
  EXPECT_NE(w.As("public").Get("/v/" + folio + "/" + std::string(64, 'A')).body.find("no coincide"),
            std::string::npos);
  EXPECT_EQ(w.As("public").Get("/v/STM-NADA-2026-999/" + upper).status, 404);

  // A copy whose hash differs is told so; an unknown or malformed folio gets a Spanish 404.
  Reply other = w.As("public").Get("/verificar/" + folio + "?sha256=" + std::string(64, '0'));
  EXPECT_NE(other.body.find("no coincide"), std::string::npos);
  for (const std::string path : {"/verificar/STM-NADA-2026-999", "/verificar/stm%3Cb%3E",
                                 "/verificar/STM-NADA-2026-999/acta.pdf"}) {
    Reply missing = w.As("public").Get(path);
    EXPECT_EQ(missing.status, 404) << path;
    EXPECT_NE(missing.body.find("No existe un acta con el folio"), std::string::npos) << path;
    EXPECT_EQ(missing.body.find("<b>"), std::string::npos) << "escaped: " << path;
  }
}

TEST(PeopleGenderApiTest, IsRecordedAndShownAndOnlyThreeValuesAreAccepted) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  struct Case {
    const char* body;
    int status;
    const char* gender;
  };
  const Case cases[] = {
      {R"({"full_name":"Irene Salgado Ríos","gender":"femenino"})", 201, "femenino"},
      {R"({"full_name":"Hugo Benítez Lara","gender":"masculino"})", 201, "masculino"},
      {R"({"full_name":"Alex Rangel Soto","gender":"neutro"})", 201, "neutro"},
      {R"({"full_name":"Sin Género Dado"})", 201, "neutro"},
      {R"({"full_name":"Mal Dato","gender":"mujer"})", 400, ""},
  };
  for (const Case& c : cases) {
    Reply r = w.As("admin").Post("/api/people", c.body);
    ASSERT_EQ(r.status, c.status) << c.body << "\n" << Describe(r);
    if (c.status != 201) continue;
    Reply p = w.As("admin").Get("/api/people/" + r.Str("person_id"));
    EXPECT_EQ(p.Str("gender"), c.gender) << c.body;
  }
}

TEST(InvitationMailTest, WritesTheExpiryDateAsEveryTextDoes) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  // Every member got an invitation e-mail in the outbox while the world was built.
  int mails = 0;
  for (const std::string& f : ListFilesRecursive(w.data_dir() + "/outbox")) {
    auto text = ReadFile(f);
    ASSERT_TRUE(text.ok());
    // "vence el 12 de enero de 2026, 16:00 h (UTC)": lang::DateTimeEs, never ISO.
    const size_t at = text->find("vence el ");
    if (at == std::string::npos) continue;
    ++mails;
    const std::string when = text->substr(at + 9, text->find('.', at) - at - 9);
    EXPECT_NE(when.find(" de 2026, "), std::string::npos) << when;
    EXPECT_NE(when.find(" h (UTC)"), std::string::npos) << when;
  }
  EXPECT_GT(mails, 3);
}

}  // namespace
}  // namespace rubrica::server::testing
