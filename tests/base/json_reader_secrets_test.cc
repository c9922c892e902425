// Secrets in request bodies: read only as SecretString, wiped from the parsed document as
// they are taken, and wiped when the document goes even if nobody read them.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "rubrica/base/json_reader.h"

namespace rubrica {
namespace {

JsonReader MustParse(const std::string& body) {
  auto j = JsonReader::Parse(body);
  EXPECT_TRUE(j.ok()) << j.status().ToString();
  return std::move(*j);
}

TEST(JsonReaderSecretsTest, SecretIsTakenExactlyAsSentAndTheDocumentCopyIsWiped) {
  // "e" + U+0301 stays decomposed: secrets are not normalised (they are hashed as typed).
  JsonReader j = MustParse(R"({"pin":"12e\u0301 4"})");
  auto pin = j.Secret("pin", 64);
  ASSERT_TRUE(pin.ok()) << pin.status().ToString();
  EXPECT_EQ(pin->view(), "12e\xCC\x81 4");
  // The parsed document no longer holds it: a second read finds nothing.
  auto again = j.OptionalSecret("pin", 64);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
  EXPECT_TRUE(j.Finish().ok());
}

TEST(JsonReaderSecretsTest, PlainTextReadsOfSecretsAreRefused) {
  for (const char* key : {"password", "pin", "current_pin", "new_pin"}) {
    JsonReader j = MustParse(std::string(R"({")") + key + R"(":"s3cr3t-1"})");
    auto as_text = j.String(key, 64);
    ASSERT_FALSE(as_text.ok()) << key;
    EXPECT_EQ(as_text.status().code(), "api.internal") << key;
    auto optional = j.OptionalString(key, "", 64);
    ASSERT_FALSE(optional.ok()) << key;
    EXPECT_EQ(optional.status().code(), "api.internal") << key;
  }
}

TEST(JsonReaderSecretsTest, BadSecretsAreRefusedAsFields) {
  struct Case {
    const char* body;
    const char* why;
  } cases[] = {
      {R"({})", "missing"},
      {R"({"pin":null})", "null"},
      {R"({"pin":""})", "empty"},
      {R"({"pin":1234})", "not a string"},
      {R"({"pin":"12345678901"})", "longer than the limit"},
  };
  for (const Case& c : cases) {
    JsonReader j = MustParse(c.body);
    auto pin = j.Secret("pin", 10);
    ASSERT_FALSE(pin.ok()) << c.why;
    EXPECT_EQ(pin.status().code(), "api.bad_field") << c.why;
  }
  JsonReader absent = MustParse(R"({"other":1})");
  auto none = absent.OptionalSecret("pin", 10);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(JsonReaderSecretsTest, UnreadSecretsAreWipedWhenTheDocumentGoes) {
  std::optional<JsonReader> root = MustParse(R"({"a":{"pin":"9876"},"b":[{"password":"x1"}]})");
  auto a = root->Object("a");
  ASSERT_TRUE(a.ok());
  auto b = root->ObjectArray("b");
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->size(), 1u);
  root.reset();  // a refused request: nobody read the secrets
  // The nested objects outlive the document's handle, and their secrets are gone.
  auto pin = a->OptionalSecret("pin", 64);
  ASSERT_TRUE(pin.ok());
  EXPECT_TRUE(pin->empty());
  auto password = (*b)[0].OptionalSecret("password", 64);
  ASSERT_TRUE(password.ok());
  EXPECT_TRUE(password->empty());
}

}  // namespace
}  // namespace rubrica
