#include "front_end.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "connection.h"
#include "listener.h"
#include "rubrica/base/crypto_util.h"
#include "worker_pool.h"

namespace rubrica::server::http {

namespace {

constexpr uint64_t kListenerId = 0;
constexpr uint64_t kWakeId = 1;
constexpr size_t kReadChunk = 64u << 10;
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr int64_t kMaxLingerBytes = 1 << 20;
// How long the front end's own short answers (408, 413, 503...) may take to be read.
constexpr auto kAnswerWriteTime = std::chrono::seconds(2);
constexpr auto kSweepInterval = std::chrono::milliseconds(100);
constexpr auto kAcceptPause = std::chrono::milliseconds(100);
constexpr auto kRefusalLogInterval = std::chrono::seconds(10);
constexpr int kMaxAcceptsPerWake = 64;
constexpr int kMaxEvents = 256;

// A response's time allowance: `grace` seconds plus one second per `rate` bytes.
SteadyTime RateDeadline(SteadyTime start, int grace_seconds, int64_t rate, int64_t bytes) {
  const double seconds = grace_seconds + static_cast<double>(bytes) / static_cast<double>(rate);
  return start +
         std::chrono::duration_cast<SteadyTime::duration>(std::chrono::duration<double>(seconds));
}

struct Completion {
  uint64_t id;
  std::string head;
  std::string body;
  bool close;
};

}  // namespace

class FrontEnd::Loop {
 public:
  Loop(const HttpServerOptions& options, RequestRunner runner, Logger& logger)
      : options_(options), runner_(std::move(runner)), logger_(logger), read_buf_(kReadChunk) {
    limits_.max_header_bytes = static_cast<size_t>(options.max_header_bytes);
    limits_.max_body_bytes = options.max_body_bytes;
  }

  ~Loop() {
    Stop();
    for (int fd : {listen_fd_, epoll_fd_, wake_fd_}) {
      if (fd >= 0) close(fd);
    }
  }

  Status Start() {
    ASSIGN_OR_RETURN(listen_fd_, Listen(options_.host, options_.port, &port_));
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epoll_fd_ < 0 || wake_fd_ < 0 || !Register(listen_fd_, kListenerId, EPOLLIN) ||
        !Register(wake_fd_, kWakeId, EPOLLIN)) {
      return Status::Error(ErrorKind::kInternal, "server.event_loop_failed",
                           std::string("cannot set up epoll: ") + std::strerror(errno));
    }
    max_connections_ = EffectiveMaxConnections();
    pool_ =
        std::make_unique<WorkerPool>(options_.threads, static_cast<size_t>(options_.max_queued));
    thread_ = std::thread([this] { Run(); });
    return Status::Ok();
  }

  int port() const { return port_; }

  void Stop() {
    if (thread_.joinable()) {
      stopping_ = true;
      Wake();
      thread_.join();
    }
    if (pool_) pool_->Shutdown();
  }

 private:
  // --- set-up ----------------------------------------------------------------------------

  bool Register(int fd, uint64_t id, uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = id;
    return epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) == 0;
  }

  // The open-file limit bounds how many sockets can be open: keep some descriptors for the
  // database, the blobs and the verify sandbox.
  int EffectiveMaxConnections() {
    constexpr rlim_t kReserved = 128;
    rlimit rl{};
    int max = options_.max_connections;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        rl.rlim_cur < static_cast<rlim_t>(max) + kReserved) {
      max = static_cast<int>(std::max<rlim_t>(rl.rlim_cur, 2 * kReserved) - kReserved);
      logger_.Warn("http.max_connections_lowered",
                   {{"configured", options_.max_connections},
                    {"effective", max},
                    {"open_files_limit", static_cast<int64_t>(rl.rlim_cur)}});
    }
    return max;
  }

  void Wake() {
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(wake_fd_, &one, sizeof one);
  }

  // --- the loop --------------------------------------------------------------------------

  void Run() {
    std::vector<epoll_event> events(kMaxEvents);
    for (;;) {
      const int n = epoll_wait(epoll_fd_, events.data(), kMaxEvents,
                               static_cast<int>(kSweepInterval.count()));
      const SteadyTime now = SteadyClock::now();
      for (int i = 0; i < std::max(n, 0); ++i) {
        const uint64_t id = events[static_cast<size_t>(i)].data.u64;
        if (id == kListenerId) {
          Accept(now);
        } else if (id == kWakeId) {
          uint64_t count = 0;
          [[maybe_unused]] ssize_t r = read(wake_fd_, &count, sizeof count);
          TakeCompletions(now);
        } else if (auto it = conns_.find(id); it != conns_.end() && it->second->open()) {
          OnEvent(*it->second, events[static_cast<size_t>(i)].events, now);
        }
      }
      if (stopping_ && !stop_begun_) BeginStop(now);
      if (now - last_sweep_ >= kSweepInterval) {
        Sweep(now);
        last_sweep_ = now;
      }
      EraseClosed();
      if (stop_begun_ && (!AnyInProgress() || now >= stop_deadline_)) break;
    }
    for (auto& [id, c] : conns_) {
      if (c->open() && c->phase == Phase::kLingering) Drain(*c);
      Close(*c);
    }
    EraseClosed();
  }

  void Accept(SteadyTime now) {
    for (int k = 0; k < kMaxAcceptsPerWake; ++k) {
      sockaddr_storage addr{};
      socklen_t len = sizeof addr;
      const int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          // Out of descriptors: stop accepting for a moment instead of spinning on them.
          NoteRefused("out_of_descriptors");
          epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
          accept_paused_ = true;
          accept_resume_ = now + kAcceptPause;
        }
        return;
      }
      if (static_cast<int>(conns_.size()) >= max_connections_) {
        close(fd);
        NoteRefused("max_connections");
        continue;
      }
      Peer peer = DescribePeer(addr);
      const int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      auto conn = std::make_unique<Connection>(next_id_++, fd, peer, limits_, now);
      Connection& c = *conn;
      conns_.emplace(c.id, std::move(conn));
      int& per_address = per_address_[peer.key];
      if (per_address >= options_.max_connections_per_address) {
        NoteRefused("max_connections_per_address");
        Answer(c, 503,
               Status::Error(ErrorKind::kUnavailable, "server.too_many_connections",
                             "too many connections from " + peer.key,
                             "Demasiadas conexiones desde su dirección; intente más tarde.")
                   .WithRetryAfter(std::chrono::seconds(1)),
               now, /*log=*/false);
        continue;
      }
      ++per_address;
      c.counted = true;
      c.idle_deadline = now + std::chrono::seconds(options_.header_timeout_seconds);
      SetInterest(c, EPOLLIN);
    }
  }

  void OnEvent(Connection& c, uint32_t events, SteadyTime now) {
    if (c.phase == Phase::kWriting) {
      if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) Write(c, now);
      return;
    }
    if (c.phase == Phase::kDispatched) return;
    const ssize_t n = recv(c.fd, read_buf_.data(), read_buf_.size(), 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
    if (n <= 0) {  // the client closed (or reset) its side
      Close(c);
      return;
    }
    if (c.phase == Phase::kLingering) {
      c.lingered += n;
      if (c.lingered > kMaxLingerBytes) Close(c);
      return;
    }
    Process(c, std::string_view(read_buf_.data(), static_cast<size_t>(n)), now);
    // The parser copied what it needed; a body may hold a password or a PIN.
    SecureWipe(read_buf_.data(), static_cast<size_t>(n));
  }

  // Feeds bytes to the connection's parser; dispatches a complete request or answers a
  // refused one.
  void Process(Connection& c, std::string_view data, SteadyTime now) {
    const size_t used = c.parser.Feed(data);
    Account(c, c.parser.body_bytes());
    if (c.phase == Phase::kIdle && c.parser.started()) {
      c.phase = Phase::kReading;
      c.head_start = c.fresh ? c.accepted : now;
    }
    switch (c.parser.state()) {
      case RequestParser::State::kError:
        Answer(c, c.parser.error().http_status, c.parser.error().status, now);
        return;
      case RequestParser::State::kComplete:
        c.pending.assign(data.substr(used));
        Dispatch(c, now);
        return;
      case RequestParser::State::kBody:
        if (buffered_ > options_.max_buffered_body_bytes) {
          Answer(c, 503,
                 Status::Error(ErrorKind::kUnavailable, "server.busy",
                               "request bodies in memory exceed " +
                                   std::to_string(options_.max_buffered_body_bytes) + " bytes",
                               "El servidor está ocupado; intente de nuevo en un momento.")
                     .WithRetryAfter(std::chrono::seconds(1)),
                 now);
          return;
        }
        if (!c.body_started) {
          c.body_started = true;
          c.body_start = now;
          if (c.parser.request().expect_continue) {
            static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
            // Best effort: the socket's send buffer is empty at this point.
            [[maybe_unused]] ssize_t w =
                send(c.fd, kContinue.data(), kContinue.size(), MSG_NOSIGNAL);
          }
        }
        return;
      case RequestParser::State::kHead:
        return;
    }
  }

  void Dispatch(Connection& c, SteadyTime now) {
    auto request = std::make_shared<ParsedRequest>(c.parser.TakeRequest());
    c.phase = Phase::kDispatched;
    c.body_started = false;
    SetInterest(c, 0);
    const uint64_t id = c.id;
    const std::string remote = c.peer.remote;
    const bool queued = pool_->TrySubmit([this, id, request, remote] {
      const bool head_only = request->method == "HEAD";
      const bool keep_alive = request->keep_alive;
      HttpResponse response;
      try {
        response = runner_(*request, remote);
      } catch (const std::exception& e) {  // a worker thread must not die
        response =
            ErrorResponse(500, Status::Error(ErrorKind::kInternal, "server.exception", e.what()));
      }
      const bool close_after = !keep_alive || stopping_;
      Completion done{id, SerializeHead(response, close_after),
                      head_only ? std::string() : std::move(response.body), close_after};
      {
        std::lock_guard<std::mutex> lock(completions_mu_);
        completions_.push_back(std::move(done));
      }
      Wake();
    });
    if (!queued) {
      Answer(c, 503,
             Status::Error(ErrorKind::kUnavailable, "server.busy",
                           "every worker is busy and " + std::to_string(options_.max_queued) +
                               " requests are waiting",
                           "El servidor está ocupado; intente de nuevo en un momento.")
                 .WithRetryAfter(std::chrono::seconds(1)),
             now);
    }
  }

  void TakeCompletions(SteadyTime now) {
    std::vector<Completion> done;
    {
      std::lock_guard<std::mutex> lock(completions_mu_);
      done.swap(completions_);
    }
    for (Completion& d : done) {
      auto it = conns_.find(d.id);
      if (it == conns_.end() || !it->second->open()) continue;  // closed at the stop deadline
      Connection& c = *it->second;
      Account(c, 0);  // the request's body is gone with its worker
      const int64_t bytes = static_cast<int64_t>(d.head.size() + d.body.size());
      StartWrite(c, std::move(d.head), std::move(d.body), d.close || stop_begun_,
                 RateDeadline(now, options_.timeout_seconds, options_.min_bytes_per_second, bytes),
                 now);
    }
  }

  // Refuses the request on `c`: the JSON error, then a lingering close. Never dispatched.
  // Refusals of whole connections are counted by NoteRefused instead of logged (`log`).
  void Answer(Connection& c, int http_status, const Status& status, SteadyTime now,
              bool log = true) {
    if (log) {
      std::vector<LogField> fields = {
          {"status", http_status}, {"error", status.code()}, {"remote", c.peer.remote}};
      if (c.parser.head_complete()) {
        fields.emplace_back("method", c.parser.request().method);
        fields.emplace_back("path", c.parser.request().path);
      }
      logger_.Info("http.refused", fields);
    }
    const HttpResponse response =
        ErrorResponse(http_status, status);  // `status` may be the parser's
    c.parser = RequestParser(limits_);       // what was read of the request is dropped now
    Account(c, 0);
    StartWrite(c, SerializeHead(response, /*close=*/true), response.body, /*close=*/true,
               now + kAnswerWriteTime, now);
  }

  void StartWrite(Connection& c, std::string head, std::string body, bool close_after,
                  SteadyTime deadline, SteadyTime now) {
    c.phase = Phase::kWriting;
    c.out_head = std::move(head);
    c.out_body = std::move(body);
    c.out_done = 0;
    c.close_after_write = close_after;
    c.write_deadline = deadline;
    SetInterest(c, 0);
    Write(c, now);
  }

  void Write(Connection& c, SteadyTime now) {
    switch (c.WriteSome()) {
      case Connection::WriteResult::kBlocked:
        SetInterest(c, EPOLLOUT);
        return;
      case Connection::WriteResult::kFailed:
        Close(c);
        return;
      case Connection::WriteResult::kDone:
        break;
    }
    c.out_head.clear();
    c.out_body = std::string();
    if (c.close_after_write || stop_begun_) {
      StartLingering(c, now);
      return;
    }
    // Kept alive: the next request, perhaps already here (pipelined).
    c.phase = Phase::kIdle;
    c.fresh = false;
    c.idle_deadline = now + std::chrono::seconds(options_.keepalive_seconds);
    SetInterest(c, EPOLLIN);
    if (!c.pending.empty()) {
      std::string pending = std::move(c.pending);
      c.pending.clear();
      Process(c, pending, now);
      SecureWipe(pending);
    }
  }

  // Closing without losing the answer: shut our side, read and drop what the client still
  // sends for a while, then close. A plain close with unread bytes would reset the
  // connection and the client could lose the answer.
  void StartLingering(Connection& c, SteadyTime now) {
    shutdown(c.fd, SHUT_WR);
    c.phase = Phase::kLingering;
    c.linger_deadline = now + kLingerTime;
    c.pending.clear();
    SetInterest(c, EPOLLIN);
  }

  bool AnyInProgress() const {
    return std::any_of(conns_.begin(), conns_.end(), [](const auto& entry) {
      const Connection& c = *entry.second;
      return c.open() && (c.phase == Phase::kDispatched || c.phase == Phase::kWriting);
    });
  }

  // Reads what the client already sent, so that closing does not reset the connection
  // (which could discard the answer it has not read yet).
  void Drain(Connection& c) {
    while (recv(c.fd, read_buf_.data(), read_buf_.size(), MSG_DONTWAIT) > 0) {
    }
  }

  void SetInterest(Connection& c, uint32_t events) {
    if (events == c.events) return;
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = c.id;
    if (c.events == 0) {
      epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, c.fd, &ev);
    } else if (events == 0) {
      epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd, nullptr);
    } else {
      epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &ev);
    }
    c.events = events;
  }

  // Body bytes held for `c` (being read, queued or in a handler) are now `bytes`.
  void Account(Connection& c, int64_t bytes) {
    buffered_ += bytes - c.buffered;
    c.buffered = bytes;
  }

  void Close(Connection& c) {
    if (!c.open()) return;
    Account(c, 0);
    SetInterest(c, 0);
    close(c.fd);
    c.fd = -1;
    if (c.counted) {
      auto it = per_address_.find(c.peer.key);
      if (it != per_address_.end() && --it->second <= 0) per_address_.erase(it);
    }
    closed_.push_back(c.id);
  }

  void EraseClosed() {
    for (uint64_t id : closed_) conns_.erase(id);
    closed_.clear();
  }

  // Deadlines, checked every kSweepInterval.
  void Sweep(SteadyTime now) {
    if (accept_paused_ && now >= accept_resume_ && !stop_begun_) {
      accept_paused_ = false;
      Register(listen_fd_, kListenerId, EPOLLIN);
    }
    const auto header_time = std::chrono::seconds(options_.header_timeout_seconds);
    for (auto& [id, conn] : conns_) {
      Connection& c = *conn;
      if (!c.open()) continue;
      switch (c.phase) {
        case Phase::kIdle:
          if (now >= c.idle_deadline) Close(c);
          break;
        case Phase::kReading:
          if (!c.parser.head_complete()) {
            if (now >= c.head_start + header_time) {
              Answer(c, 408,
                     Timeout("the request head did not arrive within " +
                             std::to_string(options_.header_timeout_seconds) + " s"),
                     now);
            }
          } else if (now >= RateDeadline(c.body_start, options_.timeout_seconds,
                                         options_.min_bytes_per_second, c.parser.body_bytes())) {
            Answer(c, 408,
                   Timeout("the request body arrived slower than " +
                           std::to_string(options_.min_bytes_per_second) + " bytes/s"),
                   now);
          }
          break;
        case Phase::kWriting:
          if (now >= c.write_deadline) {
            logger_.Warn("http.send_timeout", {{"remote", c.peer.remote}});
            Close(c);
          }
          break;
        case Phase::kLingering:
          if (now >= c.linger_deadline) Close(c);
          break;
        case Phase::kDispatched:
          break;
      }
    }
    if (now - last_refusal_log_ >= kRefusalLogInterval && !refused_.empty()) {
      std::vector<LogField> fields;
      for (const auto& [reason, count] : refused_) fields.emplace_back(reason, count);
      logger_.Warn("http.connections_refused", fields);
      refused_.clear();
      last_refusal_log_ = now;
    }
  }

  static Status Timeout(const std::string& why) {
    return Status::Error(ErrorKind::kInvalidArgument, "http.request_timeout", why,
                         "La solicitud llegó demasiado lento y se cerró la conexión.");
  }

  // Connection refusals are counted and logged once per interval: an attacker opening
  // sockets must not also fill the log.
  void NoteRefused(const char* reason) { ++refused_[reason]; }

  void BeginStop(SteadyTime now) {
    stop_begun_ = true;
    stop_deadline_ = now + std::chrono::seconds(options_.timeout_seconds);
    if (!accept_paused_) epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
    close(listen_fd_);
    listen_fd_ = -1;
    for (auto& [id, conn] : conns_) {
      Connection& c = *conn;
      if (c.open() && c.phase != Phase::kDispatched && c.phase != Phase::kWriting) Close(c);
    }
  }

  const HttpServerOptions options_;
  const RequestRunner runner_;
  Logger& logger_;
  ParserLimits limits_;
  int max_connections_ = 0;
  int listen_fd_ = -1;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  int port_ = 0;
  std::unique_ptr<WorkerPool> pool_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};

  // Owned by the I/O thread.
  bool stop_begun_ = false;
  SteadyTime stop_deadline_;
  std::unordered_map<uint64_t, std::unique_ptr<Connection>> conns_;
  std::vector<uint64_t> closed_;
  std::unordered_map<std::string, int> per_address_;
  int64_t buffered_ = 0;  // request body bytes held in memory, all connections
  uint64_t next_id_ = 2;
  std::vector<char> read_buf_;
  bool accept_paused_ = false;
  SteadyTime accept_resume_;
  std::map<std::string, int64_t> refused_;
  SteadyTime last_refusal_log_;
  SteadyTime last_sweep_;

  std::mutex completions_mu_;
  std::vector<Completion> completions_;  // guarded by completions_mu_
};

FrontEnd::FrontEnd(const HttpServerOptions& options, RequestRunner runner, Logger& logger)
    : loop_(std::make_unique<Loop>(options, std::move(runner), logger)) {}

FrontEnd::~FrontEnd() = default;

Status FrontEnd::Start() { return loop_->Start(); }
int FrontEnd::port() const { return loop_->port(); }
void FrontEnd::Stop() { loop_->Stop(); }

}  // namespace rubrica::server::http
