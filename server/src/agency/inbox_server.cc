#include "agency/inbox_server.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/URI.h>

#include "rubrica/base/crypto_util.h"
#include "rubrica/base/json_writer.h"

namespace rubrica::server::agency {

namespace {

void Send(Poco::Net::HTTPServerResponse& res, int status, const std::string& type, const std::string& body) {
  res.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  res.setContentType(type);
  res.setContentLength(static_cast<std::streamsize>(body.size()));
  res.set("Cache-Control", "no-store");
  res.send() << body;
}

void SendError(Poco::Net::HTTPServerResponse& res, const Status& s) {
  JsonWriter body;
  body.BeginObject().Key("error").BeginObject();
  body.Field("code", s.code()).Field("message_es", s.message_es()).EndObject().EndObject();
  Send(res, HttpStatusFor(s.kind()), "application/json", body.str());
}

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  Handler(Inbox& inbox, const InboxServerOptions& options, Logger& logger)
      : inbox_(inbox), options_(options), logger_(logger) {}

  void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) override {
    try {
      const Poco::URI uri(req.getURI());
      const std::string path = uri.getPath();
      if (path == "/healthz" && req.getMethod() == "GET") return Send(res, 200, "application/json", "{\"ok\":true}");
      if (path == "/api/entregas" && req.getMethod() == "GET") return Month(uri, res);
      if (path == "/api/paquetes" && req.getMethod() == "POST") return Package(req, res);
      SendError(res, Status::Error(ErrorKind::kNotFound, "agency.not_found", "no route " + path, "No existe esa ruta."));
    } catch (const std::exception& e) {
      logger_.Error("agency.request_failed", {{"error", e.what()}});
    }
  }

 private:
  void Month(const Poco::URI& uri, Poco::Net::HTTPServerResponse& res) {
    std::string month;
    for (const auto& [k, v] : uri.getQueryParameters()) {
      if (k == "mes") month = v;
    }
    if (month.size() != 7) {
      return SendError(res, Status::Error(ErrorKind::kInvalidArgument, "agency.bad_month", "mes=YYYY-MM is required",
                                          "Indique el mes como AAAA-MM."));
    }
    auto json = inbox_.MonthJson(month);
    if (!json.ok()) return SendError(res, json.status());
    Send(res, 200, "application/json", *json);
  }

  void Package(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) {
    if (!req.hasContentLength() || req.getContentLength64() < 0) {
      return SendError(res, Status::Error(ErrorKind::kInvalidArgument, "agency.length_required",
                                          "Content-Length is required", "Falta la longitud del paquete."));
    }
    const uint64_t length = static_cast<uint64_t>(req.getContentLength64());
    if (length > options_.max_package_bytes) {
      return SendError(res, Status::Error(ErrorKind::kTooLarge, "delivery.zip_too_large",
                                          "package of " + std::to_string(length) + " bytes over the limit",
                                          "El paquete excede el tamaño máximo permitido."));
    }
    std::string zip;
    zip.resize(length);
    req.stream().read(zip.data(), static_cast<std::streamsize>(length));
    if (static_cast<uint64_t>(req.stream().gcount()) != length) {
      return SendError(res, Status::Error(ErrorKind::kInvalidArgument, "agency.truncated", "body shorter than declared",
                                          "El paquete llegó incompleto."));
    }
    const std::string key = req.get("Idempotency-Key", "");
    std::string sha256 = Sha256Hex(zip);  // hashed once: the inbox and the check reuse it
    if (!key.empty() && key != sha256) {
      return SendError(res, Status::Error(ErrorKind::kInvalidArgument, "agency.idempotency_mismatch",
                                          "Idempotency-Key is not the SHA-256 of the body",
                                          "La clave de idempotencia no es la huella SHA-256 del paquete."));
    }
    auto answer = inbox_.Receive(zip, std::move(sha256));
    if (!answer.ok()) {
      logger_.Error("agency.receive_failed", {{"code", answer.status().code()}, {"error", answer.status().message()}});
      return SendError(res, answer.status());
    }
    logger_.Info("agency.package", {{"sha256", answer->package_sha256},
                                    {"accepted", answer->accepted},
                                    {"repeat", answer->repeat}});
    res.set("Rubrica-Package", answer->package_sha256);
    res.set("Rubrica-Repeat", answer->repeat ? "true" : "false");
    Send(res, answer->accepted ? 200 : 422, "application/xml; charset=utf-8", answer->receipt_xml);
  }

  Inbox& inbox_;
  const InboxServerOptions& options_;
  Logger& logger_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(Inbox& inbox, const InboxServerOptions& options, Logger& logger)
      : inbox_(inbox), options_(options), logger_(logger) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(inbox_, options_, logger_);
  }

 private:
  Inbox& inbox_;
  const InboxServerOptions& options_;
  Logger& logger_;
};

}  // namespace

struct InboxServer::Impl {
  InboxServerOptions options;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  uint16_t port = 0;
};

InboxServer::InboxServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
InboxServer::~InboxServer() { Stop(); }
uint16_t InboxServer::port() const { return impl_->port; }

void InboxServer::Stop() {
  if (impl_ && impl_->server) {
    impl_->server->stopAll(true);
    impl_->server.reset();
  }
}

Result<std::unique_ptr<InboxServer>> InboxServer::Start(Inbox& inbox, const TlsIdentity& tls,
                                                        const InboxServerOptions& options, Logger& logger) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  try {
    Poco::Net::initializeSSL();
    Poco::Net::Context::Params p;
    p.privateKeyFile = tls.key_file;
    p.certificateFile = tls.certificate_file;
    p.verificationMode = Poco::Net::Context::VERIFY_NONE;
    p.loadDefaultCAs = false;
    p.cipherList = "HIGH:!aNULL:!MD5:!RC4";
    Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, p);
    ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress(options.host, options.port), 64, ctx);
    impl->port = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(options.threads);
    params->setMaxQueued(64);
    params->setTimeout(Poco::Timespan(options.timeout_seconds, 0));
    params->setKeepAlive(false);
    impl->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(inbox, impl->options, logger), socket, params);
    impl->server->start();
  } catch (const Poco::Exception& e) {
    return Status::Error(ErrorKind::kIoError, "agency.listen_failed", "the inbox cannot listen: " + e.displayText(),
                         "El buzón del órgano no pudo iniciarse.");
  }
  return std::unique_ptr<InboxServer>(new InboxServer(std::move(impl)));
}

}  // namespace rubrica::server::agency
