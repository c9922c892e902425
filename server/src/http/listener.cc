#include "listener.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace rubrica::server::http {

namespace {

constexpr int kBacklog = 1024;

Status BindFailed(const std::string& host, int port, const std::string& why) {
  return Status::Error(ErrorKind::kUnavailable, "server.bind_failed",
                       "cannot listen on " + host + ":" + std::to_string(port) + ": " + why,
                       "No se pudo abrir el puerto del servidor.");
}

}  // namespace

Result<int> Listen(const std::string& host, int port, int* bound_port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), std::to_string(port).c_str(),
                             &hints, &found);
  if (rc != 0) return BindFailed(host, port, gai_strerror(rc));
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(found, &freeaddrinfo);
  const int fd = socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return BindFailed(host, port, std::strerror(errno));
  const int one = 1;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      bind(fd, found->ai_addr, found->ai_addrlen) != 0 || listen(fd, kBacklog) != 0) {
    const std::string why = std::strerror(errno);
    close(fd);
    return BindFailed(host, port, why);
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  *bound_port = bound.ss_family == AF_INET6
                    ? ntohs(reinterpret_cast<const sockaddr_in6*>(&bound)->sin6_port)
                    : ntohs(reinterpret_cast<const sockaddr_in*>(&bound)->sin_port);
  return fd;
}

Peer DescribePeer(const sockaddr_storage& address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET6) {
    const auto* a6 = reinterpret_cast<const sockaddr_in6*>(&address);
    const int port = ntohs(a6->sin6_port);
    if (IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr)) {
      in_addr v4{};
      std::memcpy(&v4, a6->sin6_addr.s6_addr + 12, sizeof v4);
      inet_ntop(AF_INET, &v4, text, sizeof text);
      return {std::string(text) + ":" + std::to_string(port), text};
    }
    inet_ntop(AF_INET6, &a6->sin6_addr, text, sizeof text);
    // One party usually holds a whole /64: the cap counts the prefix.
    in6_addr prefix = a6->sin6_addr;
    std::memset(prefix.s6_addr + 8, 0, 8);
    char prefix_text[INET6_ADDRSTRLEN] = {};
    inet_ntop(AF_INET6, &prefix, prefix_text, sizeof prefix_text);
    return {"[" + std::string(text) + "]:" + std::to_string(port),
            std::string(prefix_text) + "/64"};
  }
  const auto* a4 = reinterpret_cast<const sockaddr_in*>(&address);
  inet_ntop(AF_INET, &a4->sin_addr, text, sizeof text);
  return {std::string(text) + ":" + std::to_string(ntohs(a4->sin_port)), text};
}

}  // namespace rubrica::server::http
