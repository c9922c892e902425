// The OpenAPI 3 document, generated from the route table: what is registered is what is
// documented. docs/openapi.json is this output (a test keeps them equal).
#include <map>
#include <cctype>

#include "rubrica/base/json_writer.h"
#include "open_data.h"
#include "openapi_responses.h"
#include "route_table.h"
#include "rubrica/server/api.h"

namespace rubrica::server {

namespace {

using api::RouteSpec;

// The schema of one field type of the request DSL (route_table.h).
void WriteType(JsonWriter& w, const std::string& type) {
  w.BeginObject();
  if (type == "string" || type == "integer" || type == "boolean" || type == "object") {
    w.Field("type", type);
  } else if (type == "date") {
    w.Field("type", "string").Field("format", "date");
  } else if (type == "time") {
    w.Field("type", "string").Field("format", "date-time");
  } else if (type.size() > 2 && type.substr(type.size() - 2) == "[]") {
    w.Field("type", "array").Key("items");
    WriteType(w, type.substr(0, type.size() - 2));
  } else {
    w.Field("type", "string").Key("enum").BeginArray();
    for (const auto& v : api::SplitOn(type, '|')) w.String(v);
    w.EndArray();
  }
  w.EndObject();
}

void WriteRequestBody(JsonWriter& w, std::string_view request) {
  w.Key("requestBody").BeginObject().Field("required", true).Key("content").BeginObject();
  if (request == "pdf") {
    w.Key("application/pdf").BeginObject().Key("schema").BeginObject();
    w.Field("type", "string").Field("format", "binary").EndObject().EndObject();
  } else {
    std::vector<std::string> required;
    w.Key("application/json").BeginObject().Key("schema").BeginObject();
    w.Field("type", "object").Field("additionalProperties", false).Key("properties").BeginObject();
    for (const auto& field : api::SplitOn(request, ' ')) {
      const size_t colon = field.find(':');
      std::string name = field.substr(0, colon);
      std::string type = field.substr(colon + 1);
      if (!type.empty() && type.back() == '!') {
        type.pop_back();
        required.push_back(name);
      }
      w.Key(name);
      WriteType(w, type);
    }
    w.EndObject();
    if (!required.empty()) w.StringArray("required", required);
    w.EndObject().EndObject();
  }
  w.EndObject().EndObject();
}

std::vector<std::string> PathParams(std::string_view path) {
  std::vector<std::string> out;
  for (const auto& seg : api::SplitOn(path, '/')) {
    if (seg.size() > 2 && seg.front() == '{') out.push_back(seg.substr(1, seg.size() - 2));
  }
  return out;
}

void WriteOperation(JsonWriter& w, const RouteSpec& r) {
  std::string method(r.method);
  for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  w.Key(method).BeginObject();
  w.Field("operationId", r.operation_id).Field("summary", r.summary);
  w.Key("tags").BeginArray().String(r.tag).EndArray();
  w.StringArray("x-roles", api::RoleNames(r.roles));
  if (r.acta_read) w.Field("x-acta-visibility", true);
  w.Key("security").BeginArray();
  if (r.roles & api::kPublic) w.BeginObject().EndObject();
  w.BeginObject().Key("sessionCookie").BeginArray().EndArray();
  if (r.method != "GET") w.Key("csrfHeader").BeginArray().EndArray();
  w.EndObject();
  w.BeginObject().Key("bearerToken").BeginArray().EndArray().EndObject();
  w.EndArray();
  const auto params = PathParams(r.path);
  if (!params.empty() || !r.query.empty()) {
    w.Key("parameters").BeginArray();
    for (const auto& p : params) {
      w.BeginObject().Field("name", p).Field("in", "path").Field("required", true);
      w.Key("schema").BeginObject();
      if (p == "blob_id" || p == "package_sha256") {
        w.Field("type", "string").Field("pattern", "^[0-9a-f]{64}$");
      } else if (p == "folio") {
        w.Field("type", "string").Field("pattern", "^[A-Za-z0-9-]{1,40}$");
      } else if (p == "dataset") {
        w.Field("type", "string").Key("enum").BeginArray();
        for (const auto& d : api::OpenDataDictionary()) w.String(d.name);
        w.EndArray();
      } else {
        w.Field("type", "integer").Field("minimum", 1);
      }
      w.EndObject().EndObject();
    }
    for (const auto& item : api::SplitOn(r.query, ' ')) {
      if (item.empty()) continue;
      const size_t colon = item.find(':');
      std::string type = item.substr(colon + 1);
      const bool required = !type.empty() && type.back() == '!';
      if (required) type.pop_back();
      w.BeginObject().Field("name", item.substr(0, colon)).Field("in", "query");
      w.Field("required", required).Key("schema").BeginObject();
      if (type == "integer") {
        w.Field("type", "integer").Field("minimum", 1);
      } else if (type == "date") {
        w.Field("type", "string").Field("format", "date");
      } else if (type == "month") {
        w.Field("type", "string").Field("pattern", "^[0-9]{4}-[0-9]{2}$");
      } else if (type.find('|') != std::string::npos) {
        w.Field("type", "string").StringArray("enum", api::SplitOn(type, '|'));
      } else {
        w.Field("type", "string");
      }
      w.EndObject().EndObject();
    }
    w.EndArray();
  }
  if (!r.request.empty()) WriteRequestBody(w, r.request);
  w.Key("responses").BeginObject();
  w.Key(std::to_string(r.success_status)).BeginObject().Field("description", r.response);
  w.Key("content").BeginObject();
  // Bodies that are not JSON: a PDF, a ZIP, a published file, a CSV table.
  const bool binary = r.response == "application/pdf" || r.response == "application/octet-stream" ||
                      r.response == "application/zip" || r.response == "application/xml";
  if (binary || r.response == "text/csv") {
    w.Key(r.response).BeginObject().Key("schema").BeginObject().Field("type", "string");
    if (binary) w.Field("format", "binary");
    w.EndObject().EndObject();
  } else {
    w.Key("application/json").BeginObject().Key("schema");
    if (!api::WriteResponseSchema(w, r.operation_id)) w.BeginObject().EndObject();
    w.EndObject();
  }
  w.EndObject().EndObject();
  w.Key("4XX").BeginObject().Field("$ref", "#/components/responses/Error").EndObject();
  w.Key("5XX").BeginObject().Field("$ref", "#/components/responses/Error").EndObject();
  w.EndObject();
  w.EndObject();
}

// Two-space indentation of compact JSON (strings are copied untouched).
std::string Pretty(const std::string& json) {
  std::string out;
  int depth = 0;
  bool in_string = false;
  auto newline = [&] {
    out += '\n';
    out.append(static_cast<size_t>(depth) * 2, ' ');
  };
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      out += c;
      if (c == '\\') {
        out += json[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        out += c;
        break;
      case '{':
      case '[':
        out += c;
        if (i + 1 < json.size() && (json[i + 1] == '}' || json[i + 1] == ']')) {
          out += json[++i];
        } else {
          ++depth;
          newline();
        }
        break;
      case '}':
      case ']':
        --depth;
        newline();
        out += c;
        break;
      case ',':
        out += c;
        newline();
        break;
      case ':':
        out += ": ";
        break;
      default:
        out += c;
    }
  }
  return out + "\n";
}

}  // namespace

std::string OpenApiDocument() {
  static const std::string kDocument = [] {
    JsonWriter w;
    w.BeginObject().Field("openapi", "3.0.3");
    w.Key("info").BeginObject().Field("title", "Rúbrica API").Field("version", "1");
    w.Field("description",
            "JSON API of Rúbrica: accounts, the secretariat's workflow, remote signing of "
            "actas, downloads and verification. See docs/api.md; who may call what is in "
            "docs/api-authorization.md (x-roles here). Errors: "
            "{\"error\":{\"code\",\"kind\",\"message\",\"message_en\"}}.");
    w.EndObject();
    // Paths in registration order, methods grouped under their path.
    std::vector<std::string> order;
    std::map<std::string, std::vector<const RouteSpec*>> by_path;
    for (const auto& r : api::AllRoutes()) {
      const std::string path(r.path);
      if (!by_path.count(path)) order.push_back(path);
      by_path[path].push_back(&r);
    }
    w.Key("paths").BeginObject();
    for (const auto& path : order) {
      w.Key(path).BeginObject();
      for (const RouteSpec* r : by_path[path]) WriteOperation(w, *r);
      w.EndObject();
    }
    w.EndObject();
    w.Key("components").BeginObject();
    w.Key("securitySchemes").BeginObject();
    w.Key("sessionCookie").BeginObject().Field("type", "apiKey").Field("in", "cookie");
    w.Field("name", "rubrica_session").EndObject();
    w.Key("csrfHeader").BeginObject().Field("type", "apiKey").Field("in", "header");
    w.Field("name", "X-CSRF-Token").EndObject();
    w.Key("bearerToken").BeginObject().Field("type", "http").Field("scheme", "bearer").EndObject();
    w.EndObject();
    w.Key("schemas").BeginObject().Key("Error").BeginObject().Field("type", "object");
    w.Key("properties").BeginObject().Key("error").BeginObject().Field("type", "object");
    w.Key("properties").BeginObject();
    for (const char* f : {"code", "kind", "message", "message_en"}) {
      w.Key(f).BeginObject().Field("type", "string").EndObject();
    }
    w.EndObject();
    w.StringArray("required", {"code", "kind", "message", "message_en"});
    w.EndObject().EndObject().EndObject();
    api::WriteResponseComponents(w);
    w.EndObject();
    w.Key("responses").BeginObject().Key("Error").BeginObject();
    w.Field("description",
            "An error: stable code, kind, Spanish message for people, English message for "
            "logs. 429 and 503 carry Retry-After.");
    w.Key("content").BeginObject().Key("application/json").BeginObject().Key("schema");
    w.BeginObject().Field("$ref", "#/components/schemas/Error").EndObject();
    w.EndObject().EndObject().EndObject().EndObject();
    w.EndObject();
    w.EndObject();
    return Pretty(w.str());
  }();
  return kDocument;
}

std::vector<ApiRoute> ApiRoutes() {
  std::vector<ApiRoute> out;
  for (const auto& r : api::AllRoutes()) {
    out.push_back({std::string(r.method), std::string(r.path), std::string(r.operation_id)});
  }
  return out;
}

}  // namespace rubrica::server
