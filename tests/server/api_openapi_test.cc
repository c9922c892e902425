// The OpenAPI document: generated from the route table, kept in docs/openapi.json, served at
// GET /api/openapi.json — the three are the same text, and it names every route.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "api_client.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/files.h"
#include "rubrica/server/api.h"
#include "rubrica/server/service.h"
#include "support/test_support.h"

namespace rubrica::server::testing {
namespace {

using rubrica::testing::SourceDir;

TEST(OpenApiTest, TheDocumentInDocsIsTheGeneratedOneAndTheServedOne) {
  auto file = ReadFile(SourceDir() + "/docs/openapi.json");
  ASSERT_TRUE(file.ok());
  EXPECT_TRUE(*file == OpenApiDocument())
      << "docs/openapi.json is stale: regenerate it with `rubrica openapi > docs/openapi.json`";

  rubrica::testing::TempDir dir;
  ConfigInputs in;
  in.flags = {{"data_dir", dir / "data"}, {"listen.port", "0"}};
  auto config = LoadConfig(in);
  ASSERT_TRUE(config.ok());
  SystemClock clock;
  NullLogger logger;
  ServiceOptions o;
  o.password_scrypt_log2_n = 10;
  auto service = Service::Create(*config, clock, logger, o);
  ASSERT_TRUE(service.ok()) << service.status().ToString();
  ASSERT_TRUE((*service)->Start().ok());
  Reply served = Client((*service)->port()).Get("/api/openapi.json");
  EXPECT_EQ(served.status, 200);
  EXPECT_EQ(served.headers["content-type"], "application/json; charset=utf-8");
  EXPECT_TRUE(served.body == OpenApiDocument());
}

TEST(OpenApiTest, PythonReadsItAndItNamesEveryRouteWithItsRoles) {
  const std::string path = SourceDir() + "/docs/openapi.json";
  // Strictly: a key twice in one object (two components of one name, as two merged branches
  // once wrote) is refused, where json.tool and Poco keep the last one silently.
  const std::string strict =
      "import json, sys\n"
      "def pairs(p):\n"
      "    keys = [k for k, _ in p]\n"
      "    dup = sorted({k for k in keys if keys.count(k) > 1})\n"
      "    if dup: sys.exit('duplicate keys: ' + ', '.join(dup))\n"
      "    return dict(p)\n"
      "json.load(open(sys.argv[1], encoding='utf-8'), object_pairs_hook=pairs)\n";
  auto r = rubrica::testing::RunCommand({"/usr/bin/python3", "-c", strict, path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  Poco::JSON::Parser parser;
  auto doc = parser.parse(OpenApiDocument()).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(doc->getValue<std::string>("openapi"), "3.0.3");
  auto paths = doc->getObject("paths");
  ASSERT_TRUE(paths);
  size_t operations = 0;
  for (const auto& route : ApiRoutes()) {
    SCOPED_TRACE(route.method + " " + route.path);
    auto item = paths->getObject(route.path);
    ASSERT_TRUE(item);
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto op = item->getObject(method);
    ASSERT_TRUE(op);
    EXPECT_EQ(op->getValue<std::string>("operationId"), route.operation_id);
    ASSERT_TRUE(op->getArray("x-roles"));
    EXPECT_GT(op->getArray("x-roles")->size(), 0u);
    ++operations;
  }
  EXPECT_GT(operations, 60u);
}

// Every success response names its schema: a component with properties (or a file: a PDF
// or a ZIP; or the document itself), and every $ref in the document resolves to a component.
TEST(OpenApiTest, EverySuccessResponseHasASchemaWhoseReferencesResolve) {
  Poco::JSON::Parser parser;
  auto doc = parser.parse(OpenApiDocument()).extract<Poco::JSON::Object::Ptr>();
  auto schemas = doc->getObject("components")->getObject("schemas");
  ASSERT_TRUE(schemas);
  for (const auto& route : ApiRoutes()) {
    SCOPED_TRACE(route.operation_id);
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto responses = doc->getObject("paths")->getObject(route.path)->getObject(method)->getObject("responses");
    Poco::JSON::Object::Ptr success;
    for (const auto& [code, value] : *responses) {
      if (code[0] == '2') success = responses->getObject(code);
    }
    ASSERT_TRUE(success);
    auto content = success->getObject("content");
    ASSERT_TRUE(content);
    // Files: a PDF, the certified copy's ZIP, a published file, the agency's signed answer.
    for (const char* binary : {"application/pdf", "application/zip", "application/octet-stream", "application/xml"}) {
      if (content->has(binary)) {
        EXPECT_EQ(content->getObject(binary)->getObject("schema")->getValue<std::string>("format"), "binary");
      }
    }
    if (content->has("text/csv")) {  // open data
      EXPECT_EQ(content->getObject("text/csv")->getObject("schema")->getValue<std::string>("type"), "string");
      continue;
    }
    if (content->has("application/pdf") || content->has("application/zip") ||
        content->has("application/octet-stream") || content->has("application/xml")) {
      continue;
    }
    auto schema = content->getObject("application/json")->getObject("schema");
    ASSERT_TRUE(schema);
    if (route.operation_id == "getOpenApi") continue;
    ASSERT_TRUE(schema->has("$ref")) << "no response schema";
    const std::string ref = schema->getValue<std::string>("$ref");
    const std::string prefix = "#/components/schemas/";
    ASSERT_EQ(ref.rfind(prefix, 0), 0u) << ref;
    auto component = schemas->getObject(ref.substr(prefix.size()));
    ASSERT_TRUE(component) << ref;
    ASSERT_TRUE(component->getObject("properties")) << ref;
    EXPECT_GT(component->getObject("properties")->size(), 0u) << ref;
  }
  // Every reference anywhere in the document names a component that exists.
  const std::string text = OpenApiDocument();
  const std::string needle = "\"$ref\": \"#/components/schemas/";
  size_t references = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    const size_t start = at + needle.size();
    const std::string name = text.substr(start, text.find('"', start) - start);
    EXPECT_TRUE(schemas->has(name)) << name;
    ++references;
  }
  EXPECT_GT(references, 100u);
}

}  // namespace
}  // namespace rubrica::server::testing
