// A raw TCP client for tests of the HTTP front end: exactly the bytes a test writes, the
// response read back as bytes, a chosen local address (127.0.0.x, to be another client
// address), and whether the server closed the connection.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace rubrica::server::testing {

struct RawResponse {
  int status = 0;
  std::string reason;                          // the status line's reason phrase
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;                            // of Content-Length (none for HEAD)
};

class RawConnection {
 public:
  /// Connects to 127.0.0.1:`port` from `local_ip` (any local port). Check ok().
  RawConnection(int port, const std::string& local_ip = "127.0.0.1");
  RawConnection(RawConnection&& other) noexcept;
  RawConnection& operator=(RawConnection&&) = delete;
  ~RawConnection();

  bool ok() const { return fd_ >= 0; }
  /// Writes all of `bytes`; false when the connection is gone.
  bool Send(std::string_view bytes);
  /// Reads one response within `timeout` (nullopt when none came whole). `head_only`: the
  /// request was HEAD, so no body follows whatever Content-Length says.
  std::optional<RawResponse> Read(std::chrono::milliseconds timeout, bool head_only = false);
  /// Waits up to `timeout` for the server to close, reading and counting what it still
  /// sends (bytes_after_close_wait()). True when it closed (end of stream or reset).
  bool ClosedWithin(std::chrono::milliseconds timeout);
  /// True when the server has neither closed nor reset the connection (does not block).
  bool StillOpen();
  size_t bytes_read() const { return bytes_read_; }

 private:
  // Reads what is available within `timeout` into buffer_; false on end of stream/reset.
  bool Fill(std::chrono::milliseconds timeout);

  int fd_ = -1;
  std::string buffer_;
  size_t bytes_read_ = 0;
  bool closed_ = false;
};

/// Raises the soft open-files limit to at least `n` (never above the hard limit); returns
/// the soft limit now.
size_t RaiseOpenFileLimit(size_t n);

}  // namespace rubrica::server::testing
