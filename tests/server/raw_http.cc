#include "raw_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace rubrica::server::testing {

namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

RawConnection::RawConnection(int port, const std::string& local_ip) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  sockaddr_in local{};
  local.sin_family = AF_INET;
  inet_pton(AF_INET, local_ip.c_str(), &local.sin_addr);
  sockaddr_in remote{};
  remote.sin_family = AF_INET;
  remote.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
  if (bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
      connect(fd_, reinterpret_cast<sockaddr*>(&remote), sizeof remote) != 0) {
    close(fd_);
    fd_ = -1;
  }
}

RawConnection::RawConnection(RawConnection&& other) noexcept
    : fd_(other.fd_),
      buffer_(std::move(other.buffer_)),
      bytes_read_(other.bytes_read_),
      closed_(other.closed_) {
  other.fd_ = -1;
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) close(fd_);
}

bool RawConnection::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool RawConnection::Fill(std::chrono::milliseconds timeout) {
  if (closed_) return false;
  pollfd p{fd_, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return true;  // nothing yet
  char buf[65536];
  const ssize_t n = recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) {
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
    closed_ = true;
    return false;
  }
  buffer_.append(buf, static_cast<size_t>(n));
  bytes_read_ += static_cast<size_t>(n);
  return true;
}

std::optional<RawResponse> RawConnection::Read(std::chrono::milliseconds timeout, bool head_only) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto left = [&] {
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now()));
  };
  size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (left().count() == 0 || !Fill(left())) {
      if (buffer_.find("\r\n\r\n") == std::string::npos) return std::nullopt;
    }
  }
  RawResponse r;
  const std::string head = buffer_.substr(0, end);
  size_t eol = head.find("\r\n");
  const std::string status_line = head.substr(0, eol);
  // "HTTP/1.1 404 Not Found"
  if (status_line.size() < 12 || status_line.compare(0, 9, "HTTP/1.1 ") != 0) return std::nullopt;
  r.status = std::stoi(status_line.substr(9, 3));
  r.reason = status_line.size() > 13 ? status_line.substr(13) : "";
  while (eol != std::string::npos) {
    const size_t next = head.find("\r\n", eol + 2);
    const std::string line =
        head.substr(eol + 2, next == std::string::npos ? std::string::npos : next - eol - 2);
    const size_t colon = line.find(':');
    if (colon != std::string::npos) {
      r.headers[Lower(line.substr(0, colon))] = line.substr(line.find_first_not_of(' ', colon + 1));
    }
    eol = next;
  }
  size_t length = 0;
  if (!head_only && r.status >= 200 && r.headers.count("content-length")) {
    length = std::stoul(r.headers["content-length"]);
  }
  while (buffer_.size() < end + 4 + length) {
    if (left().count() == 0 || !Fill(left())) {
      if (buffer_.size() < end + 4 + length) return std::nullopt;
    }
  }
  r.body = buffer_.substr(end + 4, length);
  buffer_.erase(0, end + 4 + length);
  return r;
}

bool RawConnection::ClosedWithin(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!Fill(std::chrono::milliseconds(20))) return true;
    buffer_.clear();
  }
  return closed_;
}

bool RawConnection::StillOpen() {
  if (closed_) return false;
  char c;
  const ssize_t n = recv(fd_, &c, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0) return false;
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK;
  return true;  // data waiting: still open
}

size_t RaiseOpenFileLimit(size_t n) {
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  if (rl.rlim_cur < n) {
    rl.rlim_cur = std::min<rlim_t>(n, rl.rlim_max);
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
  }
  return static_cast<size_t>(rl.rlim_cur);
}

}  // namespace rubrica::server::testing
