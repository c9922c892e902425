#include "rubrica/signing/timestamp_client.h"

#include "timestamp_request.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <functional>

#include "der_reader.h"
#include "der_writer.h"
#include "oids.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/net/http_client.h"
#include "rubrica/signing/timestamp_authority.h"
#include "rubrica/signing/timestamp_token.h"
#include "tst_info.h"

namespace rubrica::signing {
namespace {

constexpr const char* kUnavailableEs =
    "El servicio de sellado de tiempo no está disponible; intente de nuevo más tarde.";

Status Unavailable(const std::string& url, const std::string& why) {
  return Status::Error(ErrorKind::kUnavailable, "signing.tsa_unavailable",
                       "TSA " + url + " unreachable: " + why, kUnavailableEs);
}

Status BadResponse(const std::string& url, const std::string& why) {
  return Status::Error(ErrorKind::kUnavailable, "signing.tsa_bad_response",
                       "TSA " + url + " sent an unusable reply: " + why,
                       "El servicio de sellado de tiempo respondió algo inválido.");
}

// PKIStatusInfo: the status, and for a refusal the TSA's text and failure bits.
struct PkiStatus {
  int64_t status = -1;
  std::string text;
  std::string fail_bits;  // "bit 0, bit 15" (RFC 3161 2.4.2 numbering)
};

Result<PkiStatus> ParseStatusInfo(der::Reader& resp) {
  PkiStatus out;
  ASSIGN_OR_RETURN(der::Element info, resp.Expect(der::kSequence, "PKIStatusInfo"));
  der::Reader in = info.Children();
  ASSIGN_OR_RETURN(out.status, der::ReadSmallInteger(in, "PKIStatus"));
  ASSIGN_OR_RETURN(std::optional<der::Element> text, in.Optional(der::kSequence, "statusString"));
  if (text) {
    der::Reader strings = text->Children();
    while (!strings.AtEnd()) {
      ASSIGN_OR_RETURN(der::Element s, strings.Next("statusString entry"));
      if (!out.text.empty()) out.text += "; ";
      out.text += std::string(s.content.substr(0, 512));
    }
  }
  ASSIGN_OR_RETURN(std::optional<der::Element> bits, in.Optional(der::kBitString, "failInfo"));
  if (bits && bits->content.size() > 1) {
    for (size_t i = 1; i < bits->content.size() && i <= 8; ++i) {
      for (int b = 0; b < 8; ++b) {
        if ((static_cast<uint8_t>(bits->content[i]) & (0x80 >> b)) == 0) continue;
        if (!out.fail_bits.empty()) out.fail_bits += ", ";
        out.fail_bits += "bit " + std::to_string((i - 1) * 8 + static_cast<size_t>(b));
      }
    }
  }
  return out;
}

}  // namespace

// One RFC 3161 exchange with `tsa` (named in errors): builds the TimeStampReq, hands it to
// `exchange` (HTTP, or the authority itself), and checks the reply: status, nonce, imprint
// and the token's signature.
Result<std::string> RequestTimestamp(std::string_view imprint_sha256, const std::string& tsa,
                                     const std::function<Result<std::string>(const std::string&)>& exchange) {
  if (imprint_sha256.size() != 32) {
    return Status::Error(ErrorKind::kInvalidArgument, "signing.bad_digest",
                         "the imprint must be 32 bytes (SHA-256), got " +
                             std::to_string(imprint_sha256.size()));
  }
  std::string nonce_bytes = RandomBytes(8);
  nonce_bytes[0] = static_cast<char>(nonce_bytes[0] & 0x7f);
  const std::string nonce = der::UnsignedInteger(nonce_bytes);
  const std::string request = der::Sequence({
      der::SmallInteger(1),
      EncodeMessageImprint(oid::kSha256, imprint_sha256),
      nonce,
      der::Boolean(true),  // certReq: the token must carry the TSA certificate
  });
  ASSIGN_OR_RETURN(std::string body, exchange(request));

  der::Reader top(body);
  Result<der::Element> resp = top.Expect(der::kSequence, "TimeStampResp");
  if (!resp.ok()) return BadResponse(tsa, resp.status().message());
  if (!top.AtEnd()) return BadResponse(tsa, "bytes after the TimeStampResp");
  der::Reader in = resp->Children();
  Result<PkiStatus> status = ParseStatusInfo(in);
  if (!status.ok()) return BadResponse(tsa, status.status().message());
  if (status->status != 0 && status->status != 1) {
    return Status::Error(ErrorKind::kUnavailable, "signing.tsa_rejected",
                         "TSA " + tsa + " refused the request: status " + std::to_string(status->status) +
                             (status->text.empty() ? "" : " '" + status->text + "'") +
                             (status->fail_bits.empty() ? "" : " failInfo " + status->fail_bits),
                         "El servicio de sellado de tiempo rechazó la solicitud.");
  }
  Result<der::Element> token = in.Expect(der::kSequence, "timeStampToken");
  if (!token.ok()) return BadResponse(tsa, "status granted without a token");
  Result<TimestampInfo> info = VerifyTimestampToken(token->encoding, imprint_sha256);
  if (!info.ok()) return BadResponse(tsa, info.status().ToString());
  if (info->nonce_hex != HexEncode(std::string_view(nonce).substr(2))) {
    return BadResponse(tsa, "the token's nonce is not the one sent (a replayed reply?)");
  }
  return std::string(token->encoding);
}


Result<std::unique_ptr<HttpTimestampClient>> HttpTimestampClient::Create(
    std::string url, HttpTimestampClientOptions options) {
  auto bad = [&](const std::string& why) {
    return Status::Error(ErrorKind::kInvalidArgument, "signing.bad_tsa_url",
                         "TSA URL '" + url + "': " + why,
                         "La dirección del servicio de sellado de tiempo no es válida.");
  };
  try {
    Poco::URI uri(url);
    if (uri.getScheme() != "http") return bad("only http:// is supported");
    if (uri.getHost().empty()) return bad("no host");
  } catch (const Poco::Exception& e) {
    return bad(e.displayText());
  }
  if (options.timeout.count() <= 0) return bad("the timeout must be positive");
  return std::unique_ptr<HttpTimestampClient>(new HttpTimestampClient(std::move(url), options));
}

// The exchange goes through the one bounded client (net::SendHttp); its codes become ours:
// a body that is not an HTTP answer or is over the cap is a bad response, everything else
// on the way (refused, timed out, reset) is the TSA being unavailable.
Result<std::string> HttpTimestampClient::Post(const std::string& request_der) const {
  net::HttpRequest req;
  req.url = url_;
  req.content_type = "application/timestamp-query";
  req.body = request_der;
  net::HttpClientOptions options;
  options.connect_timeout = options_.timeout;
  options.total_timeout = options_.timeout;
  options.max_response_bytes = options_.max_response_bytes;
  Result<net::HttpResponse> res = net::SendHttp(req, options);
  if (!res.ok()) {
    const std::string& code = res.status().code();
    if (code == "net.timeout") {
      return Unavailable(url_, "timed out after " + std::to_string(options_.timeout.count()) + " ms");
    }
    if (code == "net.response_too_large") {
      return BadResponse(url_, "reply larger than " + std::to_string(options_.max_response_bytes) + " bytes");
    }
    if (code == "net.bad_response") return BadResponse(url_, res.status().message());
    return Unavailable(url_, res.status().message());
  }
  if (res->status != 200) {
    return Status::Error(ErrorKind::kUnavailable, "signing.tsa_http_error",
                         "TSA " + url_ + " answered HTTP " + std::to_string(res->status) + " " + res->reason,
                         kUnavailableEs);
  }
  return std::move(res->body);
}

Result<std::string> HttpTimestampClient::Timestamp(std::string_view imprint_sha256) {
  return RequestTimestamp(imprint_sha256, url_, [this](const std::string& req) { return Post(req); });
}

Result<std::string> InProcessTimestampClient::Timestamp(std::string_view imprint_sha256) {
  return RequestTimestamp(imprint_sha256, "(embedded)",
                          [this](const std::string& req) { return authority_.Respond(req); });
}

}  // namespace rubrica::signing
