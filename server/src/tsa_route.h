// POST /tsa: the embedded RFC 3161 time-stamping authority over HTTP (RFC 3161 3.4).
#pragma once

#include "rubrica/server/http.h"
#include "rubrica/signing/timestamp_authority.h"

namespace rubrica::server {

/// Largest TimeStampReq accepted on the wire (a request is ~60 bytes; 64 KiB is generous).
inline constexpr int64_t kMaxTsaRequestBytes = 64 * 1024;

/// Adds POST /tsa. The body must have Content-Type application/timestamp-query and at most
/// kMaxTsaRequestBytes (else a JSON error: server.bad_content_type 400,
/// server.body_too_large 413). Every TimeStampReq, even a malformed one, is answered 200
/// with an application/timestamp-reply body: the TSA's verdict is inside the
/// TimeStampResp, as RFC 3161 wants. A failing TSA (cannot sign) answers 500 JSON.
/// `tsa` must outlive the router; it is used from many worker threads (it is thread-safe).
void AddTsaRoute(Router& router, const signing::TimestampAuthority& tsa);

}  // namespace rubrica::server
