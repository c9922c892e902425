// `rubrica sign --server URL ...`: the member's device side of external signing, from a
// terminal, with an e.firma (.cer + encrypted .key) or any certificate whose encrypted
// PKCS#8 key stays on this machine:
//   1. open the key with its password and check it belongs to the certificate;
//   2. log in (bearer token);
//   3. register the certificate as the member's external credential (the server checks it:
//      validity now, trust, usage; "already registered" is fine);
//   4. prepare: the server returns what to sign and a one-time ticket;
//   5. sign the signed attributes locally (SHA-256 + the key's algorithm);
//   6. finalize with the ticket; log out.
// With --secretariat ID --package SHA256 instead of --acta/--kind it co-signs the monthly
// package awaiting the caller's co-signature (docs/delivery.md, "Co-signature"): prepare
// and finalize are the package's (…/cosign/prepare, …/cosign/finalize) and what is signed
// is the manifest co-signature's canonical SignedInfo.
// The key and its password never leave the process. Passwords come from --password-file /
// --password-env and --key-password-file / --key-password-env, or two lines of stdin
// (account password first, then the key's password).
//
// Exit codes: 0 signed; 1 the server or the key refused (the Spanish message, the code and
// the English message on stderr); 2 bad usage.
#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "commands.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/base/json_reader.h"
#include "rubrica/base/json_writer.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/keys/signing_key.h"
#include "rubrica/net/http_client.h"

namespace rubrica::server::cli {

namespace {

Status Usage(const std::string& message) {
  return Status::Error(ErrorKind::kInvalidArgument, "cli.usage", message);
}

// What a field of the server's answer holds, or `fallback` when it cannot be read.
template <typename T>
T ValueOr(Result<T> r, T fallback) {
  return r.ok() ? std::move(*r) : std::move(fallback);
}

struct HttpReply {
  int status = 0;
  std::optional<JsonReader> json;  // absent when the body is not a JSON object
  std::string retry_after;
  std::string body;
};

// The server's own error, as a Status (its code, English and Spanish messages).
Status ServerError(const HttpReply& r, const std::string& what) {
  std::string code = "cli.http_" + std::to_string(r.status), en = what + ": HTTP " + std::to_string(r.status),
              es = "El servidor rechazó la operación.";
  if (r.json) {
    JsonReader j = *r.json;
    if (auto e = j.Object("error"); e.ok()) {
      code = ValueOr(e->OptionalString("code", code), code);
      en = what + ": " + ValueOr(e->OptionalString("message_en", en), en);
      es = ValueOr(e->OptionalString("message", es), es);
    }
  }
  return Status::Error(ErrorKind::kRejected, code, en, es);
}

class ApiClient {
 public:
  static Result<ApiClient> Create(const std::string& url) {
    try {
      Poco::URI uri(url);
      if (uri.getScheme() != "http" || uri.getHost().empty()) {
        return Usage("--server wants an http://host:port URL (put TLS in front of the service), got '" +
                     url + "'");
      }
      std::string base = uri.getPath();
      while (!base.empty() && base.back() == '/') base.pop_back();
      return ApiClient("http://" + uri.getAuthority() + base);
    } catch (const Poco::Exception& e) {
      return Usage("--server '" + url + "' is not a URL: " + e.displayText());
    }
  }

  void SetToken(std::string token) { token_ = std::move(token); }

  Result<HttpReply> Get(const std::string& path) const { return Once("GET", path, ""); }

  // POSTs `body`; retries a few times while the server says it is busy (503 Retry-After).
  Result<HttpReply> Post(const std::string& path, const std::string& body) const {
    for (int attempt = 0;; ++attempt) {
      ASSIGN_OR_RETURN(HttpReply r, Once("POST", path, body));
      if (r.status != 503 || attempt >= 5) return r;
      int wait = 1;
      try {
        wait = std::max(1, std::min(30, std::stoi(r.retry_after)));
      } catch (const std::exception&) {
      }
      std::this_thread::sleep_for(std::chrono::seconds(wait));
    }
  }

 private:
  explicit ApiClient(std::string base_url) : base_url_(std::move(base_url)) {}

  // One exchange through the bounded client of every peer (net::SendHttp): 10 s to
  // connect, 120 s in all, answers of at most 1 MiB (the service's answers to these calls
  // are a few KiB: a token, the credentials, what to sign, the acta's state).
  Result<HttpReply> Once(const std::string& method, const std::string& path, const std::string& body) const {
    net::HttpRequest req;
    req.method = method;
    req.url = base_url_ + path;
    req.content_type = "application/json";
    req.body = body;
    if (!token_.empty()) req.headers.emplace_back("Authorization", "Bearer " + token_);
    net::HttpClientOptions options;
    options.connect_timeout = std::chrono::seconds(10);
    options.total_timeout = std::chrono::seconds(120);
    options.max_response_bytes = kMaxAnswerBytes;
    auto res = net::SendHttp(req, options);
    if (!res.ok()) {
      if (res.status().code() == "net.response_too_large") {
        return Status::Error(ErrorKind::kTooLarge, "cli.server_answer_too_large",
                             base_url_ + path + " answered more than " + std::to_string(kMaxAnswerBytes) +
                                 " bytes: " + res.status().message(),
                             "La respuesta del servidor excede el tamaño máximo.");
      }
      return Status::Error(ErrorKind::kUnavailable, "cli.server_unreachable",
                           "cannot reach " + base_url_ + ": " + res.status().message() + " [" +
                               res.status().code() + "]",
                           "No se pudo conectar con el servidor.");
    }
    HttpReply r;
    r.status = res->status;
    r.retry_after = res->Header("Retry-After");
    r.body = std::move(res->body);
    JsonReaderOptions answer;
    answer.max_bytes = kMaxAnswerBytes;
    answer.normalize_text = false;
    if (auto j = JsonReader::Parse(r.body, answer); j.ok()) r.json = std::move(*j);
    return r;
  }

  static constexpr uint64_t kMaxAnswerBytes = 1u << 20;
  std::string base_url_;
  std::string token_;
};

std::string Json(std::initializer_list<std::pair<std::string, std::string>> fields) {
  JsonWriter w;
  w.BeginObject();
  for (const auto& [k, v] : fields) w.Field(k, v);
  return w.EndObject().Take();
}

// A string field of the answer; empty when absent or not a string.
std::string Field(const HttpReply& r, const std::string& key) {
  if (!r.json) return std::string();
  JsonReader j = *r.json;
  return ValueOr(j.OptionalString(key, "", 1u << 20), std::string());
}

bool BoolField(const HttpReply& r, const std::string& key) {
  if (!r.json) return false;
  JsonReader j = *r.json;
  return ValueOr(j.Bool(key, false), false);
}

// Prints the refusal for people and returns exit code 1 (2 for usage).
int Refused(const Status& s) {
  if (s.kind() == ErrorKind::kInvalidArgument && s.code() == "cli.usage") return Fail(s);
  std::cerr << "rubrica: " << s.message_es() << " [" << s.code() << "]\n  " << s.message() << std::endl;
  return 1;
}

}  // namespace

int RunSign(const std::vector<std::string>& argv) {
  ArgSpec spec;
  spec.valued = {"--server",        "--login",         "--acta",
                 "--kind",          "--cer",           "--key",
                 "--password-file", "--password-env",  "--key-password-file",
                 "--key-password-env", "--secretariat", "--package"};
  auto args = ParseArgs(argv, spec);
  if (!args.ok()) return Fail(args.status());
  const bool package = args->Has("--package");
  for (const char* required : {"--server", "--login", "--cer", "--key"}) {
    if (!args->Has(required)) return Fail(Usage(std::string("missing ") + required));
  }
  for (const char* required : package ? std::vector<const char*>{"--secretariat"}
                                      : std::vector<const char*>{"--acta", "--kind"}) {
    if (!args->Has(required)) return Fail(Usage(std::string("missing ") + required));
  }
  const std::string kind = package ? "cosign" : args->Get("--kind");
  if (!package && kind != "rubric" && kind != "foot") return Fail(Usage("--kind must be rubric or foot"));
  const std::string acta = package ? args->Get("--secretariat") : args->Get("--acta");
  if (acta.empty() || acta.find_first_not_of("0123456789") != std::string::npos) {
    return Fail(Usage(package ? "--secretariat must be the secretariat's number" : "--acta must be the acta's number"));
  }
  const std::string sha256 = args->Get("--package");
  if (package && (sha256.size() != 64 || sha256.find_first_not_of("0123456789abcdef") != std::string::npos)) {
    return Fail(Usage("--package must be the package's SHA-256 (64 lower-case hex digits)"));
  }
  auto client = ApiClient::Create(args->Get("--server"));
  if (!client.ok()) return Fail(client.status());
  auto cer = ReadFile(args->Get("--cer"), 64 * 1024);
  if (!cer.ok()) return Fail(cer.status());
  auto key_file = ReadFile(args->Get("--key"), 64 * 1024);
  if (!key_file.ok()) return Fail(key_file.status());
  auto password = ReadSecret(*args, "password", "account password");
  if (!password.ok()) return Fail(password.status());
  auto key_password = ReadSecret(*args, "key-password", "key password");
  if (!key_password.ok()) return Fail(key_password.status());

  // 1. The key, checked against the certificate before anything goes to the server.
  auto cert = keys::Certificate::FromDerOrPem(*cer);
  if (!cert.ok()) return Refused(cert.status());
  auto key = keys::SigningKey::FromEncryptedPkcs8(*key_file, *key_password);
  SecureWipe(*key_password);
  if (!key.ok()) return Refused(key.status());
  if (!key->Matches(*cert)) {
    return Refused(Status::Error(ErrorKind::kInvalidArgument, "keys.key_certificate_mismatch",
                                 "the key in " + args->Get("--key") + " does not belong to " + args->Get("--cer"),
                                 "La llave privada no corresponde al certificado."));
  }

  // 2. Log in.
  auto login = client->Post("/api/auth/token", Json({{"login", args->Get("--login")}, {"password", *password}}));
  SecureWipe(*password);
  if (!login.ok()) return Refused(login.status());
  if (login->status != 200) return Refused(ServerError(*login, "login"));
  client->SetToken(Field(*login, "token"));

  // 3. The certificate as the member's external credential, unless registered already (at
  // the invitation, or with a re-enrolment link: registering a new one needs the current
  // signing PIN, which the server asks for).
  auto mine = client->Get("/api/me/credentials");
  if (!mine.ok()) return Refused(mine.status());
  if (mine->status != 200) return Refused(ServerError(*mine, "listing the credentials"));
  if (mine->body.find("\"" + cert->FingerprintSha256() + "\"") == std::string::npos) {
    auto reg = client->Post("/api/me/credentials/external", Json({{"certificate", Base64Encode(*cer)}}));
    if (!reg.ok()) return Refused(reg.status());
    if (reg->status != 201) {
      Status s = ServerError(*reg, "registering the certificate");
      if (s.code() != "keys.already_registered") return Refused(s);
    }
  }

  // 4. Prepare.
  const std::string acta_path =
      package ? "/api/secretariats/" + acta + "/packages/" + sha256 + "/cosign" : "/api/actas/" + acta + "/sign";
  auto prep = client->Post(acta_path + "/prepare", package ? std::string("{}") : Json({{"kind", kind}}));
  if (!prep.ok()) return Refused(prep.status());
  if (prep->status != 201) return Refused(ServerError(*prep, "prepare"));
  if (Field(*prep, "certificate_sha256") != cert->FingerprintSha256()) {
    return Refused(Status::Error(
        ErrorKind::kConflict, "cli.other_certificate",
        "the server prepared the signature for certificate " + Field(*prep, "certificate_sha256") +
            ", not " + cert->FingerprintSha256(),
        "El servidor preparó la firma para otro certificado suyo registrado."));
  }
  auto attributes = Base64Decode(Field(*prep, package ? "signed_info" : "signed_attributes"));
  if (!attributes.ok() || attributes->empty()) {
    return Refused(Status::Error(ErrorKind::kDataLoss, "cli.bad_preparation",
                                 "the server's preparation has no signed attributes",
                                 "El servidor no devolvió qué firmar."));
  }

  // 5. Sign here; 6. finalize.
  auto signature = key->Sign(*attributes);
  if (!signature.ok()) return Refused(signature.status());
  auto fin = client->Post(acta_path + "/finalize",
                          Json({{"ticket", Field(*prep, "ticket")}, {"signature", Base64Encode(*signature)}}));
  if (!fin.ok()) return Refused(fin.status());
  if (fin->status != 200) return Refused(ServerError(*fin, "finalize"));
  (void)client->Post("/api/auth/logout", "{}");
  if (package) {
    std::string sealed;
    if (fin->json) {
      JsonReader answer = *fin->json;
      auto pkg = answer.Object("package");
      if (pkg.ok()) sealed = ValueOr(pkg->OptionalString("sha256", ""), std::string());
    }
    std::cout << "Paquete cofirmado con el certificado de " << cert->SubjectCommonName()
              << " y sellado: " << sealed << std::endl;
    return 0;
  }
  std::cout << (kind == "rubric" ? "Rúbrica registrada" : "Firma al calce registrada") << " en el acta "
            << acta << " con el certificado de " << cert->SubjectCommonName() << ".\nEstado del acta: "
            << Field(*fin, "state") << (BoolField(*fin, "complete")
                                            ? " (completa)"
                                            : "")
            << std::endl;
  return 0;
}

}  // namespace rubrica::server::cli
