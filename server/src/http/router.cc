#include <chrono>
#include <sstream>

#include "rubrica/server/http.h"

namespace rubrica::server {

static std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out;
  std::string seg;
  std::istringstream in(path);
  while (std::getline(in, seg, '/')) {
    if (!seg.empty()) out.push_back(seg);
  }
  return out;
}

void Router::Add(const std::string& method, const std::string& pattern, Handler handler) {
  routes_.push_back({method, pattern, SplitPath(pattern), std::move(handler)});
}

void Router::Dispatch(HttpExchange& ex) const {
  if (!observer_) {
    const Route* matched = nullptr;
    return RunRoute(ex, matched);
  }
  const auto start = std::chrono::steady_clock::now();
  const Route* matched = nullptr;
  RunRoute(ex, matched);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  observer_(ex.method(), matched ? matched->pattern : std::string(), ex.status_code(), took.count());
}

void Router::RunRoute(HttpExchange& ex, const Route*& matched) const {
  const auto segs = SplitPath(ex.path());
  bool path_matched = false;
  for (const Route& r : routes_) {
    if (r.segments.size() != segs.size()) continue;
    std::map<std::string, std::string> params;
    bool match = true;
    for (size_t i = 0; i < segs.size() && match; ++i) {
      const std::string& p = r.segments[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        params[p.substr(1, p.size() - 2)] = segs[i];
      } else if (p != segs[i]) {
        match = false;
      }
    }
    if (!match) continue;
    path_matched = true;
    if (r.method != ex.method() && !(r.method == "GET" && ex.method() == "HEAD")) continue;
    ex.SetPathParams(std::move(params));
    matched = &r;
    r.handler(ex);
    return;
  }
  if (path_matched) {
    ex.SendError(Status::Error(ErrorKind::kInvalidArgument, "server.method_not_allowed",
                               "method " + ex.method() + " not allowed on " + ex.path(),
                               "Método no permitido."));
    return;
  }
  ex.SendError(Status::Error(ErrorKind::kNotFound, "server.no_route", "no route for " + ex.path(),
                             "La dirección solicitada no existe."));
}

}  // namespace rubrica::server
