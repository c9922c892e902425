// Small pieces several handler files share: replies, vote lists, signer names, uploads.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "rubrica/base/json_writer.h"
#include "serialize.h"
#include "route_table.h"
#include "rubrica/workflows/sessions.h"

namespace rubrica::server::api {

/// Replies `status` with `w`'s JSON.
Status Reply(Call& c, int status, const JsonWriter& w);
/// Replies 201 {"<key>": id}.
Status ReplyCreated(Call& c, std::string_view key, int64_t id);
/// Replies 200 {"ok": true}.
Status ReplyOk(Call& c);

/// A list of {"person_id", "choice"} objects (choice yes|no|abstain) under `key`.
Result<std::vector<workflows::VoteInput>> ReadVotes(JsonReader& j, std::string_view key);

/// Person id -> full name of every required signer and signature of `acta`.
std::map<int64_t, std::string> SignerNames(ApiContext& ctx, const workflows::ActaRecord& acta);
/// Reloads acta `id` and replies `status` with it.
Status ReplyActa(Call& c, int status, int64_t id);

/// Decodes a base64 field of at most `max_bytes` decoded bytes (api.bad_field otherwise;
/// kTooLarge past the limit).
Result<std::string> Base64Field(JsonReader& j, std::string_view key, int64_t max_bytes);

/// Runs the verifier on an uploaded PDF in its sandbox (a worker that cannot write, bounded
/// in CPU, memory and time): api.upload_too_large past options.max_pdf_bytes, 503 api.busy
/// when options.max_concurrent_verifications already run.
Result<SandboxResult> VerifyUpload(Call& c, std::string_view pdf);

/// Checks an uploaded PDF in the verification sandbox (a worker that cannot write,
/// bounded in CPU, memory and time) before anything stores it: api.bad_pdf (kRejected)
/// when the verifier cannot read it as a PDF (signed or not); 503 api.busy when too many
/// verifications run. Returns the worker's result.
Result<SandboxResult> CheckPdf(Call& c, std::string_view pdf);

/// The client's address without its port ("ip:port" or "[v6]:port": the port changes per
/// connection, the address does not), the key of per-address limits.
std::string ClientAddress(const HttpExchange& ex);

/// 503 api.busy with "try again in 1 s" (Retry-After).
Status Busy(std::string_view what_en);

/// 400 api.bad_parameter for query parameter `name`: `en` and `es` say what is wrong.
Status BadParameter(const std::string& name, const std::string& en, const std::string& es);
/// A query parameter's positive integer (no sign, no leading zero); api.bad_parameter otherwise.
Result<int64_t> PositiveInt(const std::string& name, const std::string& text);
/// A page size: a positive integer up to `max`; api.bad_parameter otherwise.
Result<int> PageLimit(const std::string& name, const std::string& text, int max);

/// "YYYY-MM" to a year_month; api.bad_field naming `name` otherwise.
Result<std::chrono::year_month> ParseMonth(const std::string& text, std::string_view name);

/// Whether `text` is a SHA-256 as the API names content by it (a package's id): 64
/// lowercase hexadecimal digits.
bool IsSha256Hex(std::string_view text);

}  // namespace rubrica::server::api
