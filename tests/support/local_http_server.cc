#include "support/local_http_server.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <stdexcept>

namespace rubrica::testing {

namespace {

class OneHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit OneHandler(const LocalHttpServer::Handler& handler) : handler_(handler) {}
  void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) override {
    LocalHttpRequest in;
    in.method = req.getMethod();
    in.path = req.getURI();
    in.content_type = req.get("Content-Type", "");
    std::istream& body = req.stream();
    char buf[16384];
    while (body && in.body.size() <= (1u << 20)) {
      body.read(buf, sizeof buf);
      in.body.append(buf, static_cast<size_t>(body.gcount()));
    }
    LocalHttpReply out = handler_(in);
    resp.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(out.status));
    resp.setContentType(out.content_type);
    resp.setContentLength64(static_cast<Poco::Int64>(out.body.size()));
    resp.send().write(out.body.data(), static_cast<std::streamsize>(out.body.size()));
  }

 private:
  const LocalHttpServer::Handler& handler_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(const LocalHttpServer::Handler& handler) : handler_(handler) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new OneHandler(handler_);
  }

 private:
  const LocalHttpServer::Handler& handler_;
};

}  // namespace

struct LocalHttpServer::Impl {
  Handler handler;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  int port = 0;
};

LocalHttpServer::LocalHttpServer(Handler handler, int threads) : impl_(new Impl{std::move(handler), nullptr, 0}) {
  try {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    impl_->port = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(threads);
    params->setKeepAlive(false);
    impl_->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(impl_->handler), socket, params);
    impl_->server->start();
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("LocalHttpServer: " + e.displayText());
  }
}

LocalHttpServer::~LocalHttpServer() { impl_->server->stopAll(true); }

int LocalHttpServer::port() const { return impl_->port; }

std::string LocalHttpServer::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(impl_->port) + path;
}

HttpPostReply HttpPost(const std::string& url, const std::string& content_type, const std::string& body) {
  HttpPostReply reply;
  try {
    Poco::URI uri(url);
    Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery(),
                               Poco::Net::HTTPMessage::HTTP_1_1);
    req.setContentType(content_type);
    req.setContentLength64(static_cast<Poco::Int64>(body.size()));
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    Poco::StreamCopier::copyToString(session.receiveResponse(resp), reply.body);
    reply.status = static_cast<int>(resp.getStatus());
    reply.content_type = resp.getContentType();
  } catch (const Poco::Exception& e) {
    reply.body = e.displayText();
  }
  return reply;
}

}  // namespace rubrica::testing
