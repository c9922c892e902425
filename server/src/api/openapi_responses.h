// The schemas of the API's responses, for the OpenAPI document (openapi.cc). Kept apart
// from the route table so the routes' files stay about handling requests; keyed by the
// operation id of each route. The web pages' types are generated from these schemas
// (web/, openapi-typescript), and the browser tests check the responses they receive
// against them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/json_writer.h"

namespace rubrica::server::api {

/// The non-empty pieces of `s` between `sep`s.
std::vector<std::string> SplitOn(std::string_view s, char sep);

/// Writes the JSON schema of the success response of `operation_id` (a $ref to a
/// component, or an inline schema). Returns false, writing nothing, when the operation has
/// no schema here (a test requires one for every route).
bool WriteResponseSchema(JsonWriter& w, std::string_view operation_id);

/// Writes every component schema the response schemas refer to, as members of the
/// document's components/schemas object (the caller opened it).
void WriteResponseComponents(JsonWriter& w);

}  // namespace rubrica::server::api
