// Review comments that point at a page and a paragraph of the version in review (issue 12),
// on the real service: the page is checked against the rendered draft's page count.
#include <gtest/gtest.h>

#include <regex>

#include "api_world.h"
#include "rubrica/base/files.h"
#include "support/test_support.h"

namespace rubrica::server::testing {
namespace {

TEST(ReviewCommentTest, PointsAtAPageAndParagraphOfTheRenderedDraftAndListsThem) {
  ApiWorld w;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  w.AdvanceTo(Stage::kReview);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const std::string a = "/api/actas/" + std::to_string(w.acta);

  // The draft's pages, as a reader counts them.
  Reply pdf = w.As("titular").Get(a + "/pdf");
  ASSERT_EQ(pdf.status, 200) << Describe(pdf);
  const std::string path = w.dir() + "/borrador.pdf";
  ASSERT_TRUE(WriteFileAtomic(path, pdf.body).ok());
  auto info = rubrica::testing::RunCommand({"pdfinfo", path});
  std::smatch m;
  ASSERT_TRUE(std::regex_search(info.out, m, std::regex("Pages:\\s+(\\d+)"))) << info.out;
  const int pages = std::stoi(m[1]);
  ASSERT_GE(pages, 1);

  struct Case {
    std::string body;
    int status;
    std::string code;  // of a refusal
  };
  const std::string last = std::to_string(pages);
  // The world's review already holds comments of its own (without page or paragraph).
  const int before = w.As("facilitator").Get(a + "/comments").Size("comments");
  ASSERT_GE(before, 0);
  const Case cases[] = {
      {R"({"text":"Falta el domicilio de la sede.","page":1,"paragraph":2})", 201, ""},
      {R"({"text":"Revisar la redacción.","page":)" + last + "}", 201, ""},
      {R"({"text":"Sobre el acta en general."})", 201, ""},
      {R"({"text":"Solo el párrafo.","paragraph":7})", 201, ""},
      {R"({"text":"Hoja que no existe.","page":)" + std::to_string(pages + 1) + "}", 400,
       "api.comment_page_out_of_range"},
      {R"({"text":"Hoja cero.","page":0})", 400, "api.bad_field"},
      {R"({"text":"Párrafo enorme.","paragraph":10001})", 400, "api.bad_field"},
      {R"({"text":"Hoja en texto.","page":"1"})", 400, ""},
  };
  for (const Case& c : cases) {
    Reply r = w.As("titular").Post(a + "/comments", c.body);
    EXPECT_EQ(r.status, c.status) << c.body << "\n" << Describe(r);
    if (!c.code.empty()) {
      EXPECT_EQ(r.Code(), c.code) << c.body;
    }
  }

  Reply list = w.As("facilitator").Get(a + "/comments");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.Size("comments"), before + 4) << list.body;  // refusals wrote nothing
  auto at = [&](int i, const std::string& field) {
    return list.Str("comments[" + std::to_string(before + i) + "]." + field);
  };
  EXPECT_EQ(at(0, "page"), "1");
  EXPECT_EQ(at(0, "paragraph"), "2");
  EXPECT_EQ(at(0, "text"), "Falta el domicilio de la sede.");
  EXPECT_EQ(at(1, "page"), last);
  EXPECT_EQ(at(1, "paragraph"), "");
  EXPECT_EQ(at(2, "page"), "");
  EXPECT_EQ(at(2, "paragraph"), "");
  EXPECT_EQ(at(3, "page"), "");
  EXPECT_EQ(at(3, "paragraph"), "7");
  EXPECT_EQ(at(0, "person_id"), std::to_string(w.person("titular").id));
  // What was not given is there, as null.
  EXPECT_NE(list.body.find(R"("page":null)"), std::string::npos) << list.body;
  EXPECT_NE(list.body.find(R"("paragraph":null)"), std::string::npos) << list.body;
}

}  // namespace
}  // namespace rubrica::server::testing
