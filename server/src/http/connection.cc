#include "connection.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>

namespace rubrica::server::http {

Connection::WriteResult Connection::WriteSome() {
  const size_t total = out_head.size() + out_body.size();
  while (out_done < total) {
    iovec iov[2];
    size_t n = 0;
    if (out_done < out_head.size()) {
      iov[n++] = {out_head.data() + out_done, out_head.size() - out_done};
      if (!out_body.empty()) iov[n++] = {out_body.data(), out_body.size()};
    } else {
      const size_t off = out_done - out_head.size();
      iov[n++] = {out_body.data() + off, out_body.size() - off};
    }
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = n;
    const ssize_t w = sendmsg(fd, &msg, MSG_NOSIGNAL);
    if (w > 0) {
      out_done += static_cast<size_t>(w);
    } else if (w < 0 && errno == EINTR) {
      continue;
    } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return WriteResult::kBlocked;
    } else {
      return WriteResult::kFailed;
    }
  }
  return WriteResult::kDone;
}

}  // namespace rubrica::server::http
