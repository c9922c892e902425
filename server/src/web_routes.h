// The web pages: the single-page application built from web/ (scripts/web.sh) and served
// from a directory, with the headers that keep it safe: a strict Content-Security-Policy
// (scripts, styles, workers and connections only from this origin; no inline script, no
// eval), no framing, no MIME sniffing, no referrer (invitation links carry a token).
//
// Paths:
//   /assets/<name>     a built file; Vite names carry a content hash, so they are cached
//                      for a year as immutable
//   the pages' paths   (kWebPagePaths) the application's index.html, never cached; the
//                      application's router draws the page
// Without a built index.html the pages answer a short Spanish HTML page saying how to
// build them (503), not a JSON 404.
#pragma once

#include <string>
#include <vector>

#include "rubrica/base/logger.h"
#include "rubrica/server/http.h"

namespace rubrica::server {

/// The paths of the application's pages (route patterns as the Router takes them). Every
/// link the service prints or mails leads to one of them; web/src/routes.ts draws them.
const std::vector<std::string>& WebPagePaths();

/// The Content-Security-Policy every page and asset is served with.
extern const char* const kWebContentSecurityPolicy;

/// Where the built pages are by default, relative to this executable: the build tree's
/// build/web (the executable in build/<preset>/bin), else ../share/rubrica/web (an
/// installed /usr/bin/rubrica: /usr/share/rubrica/web). Returns the first that holds an
/// index.html, else the build tree's.
std::string DefaultWebRoot();

/// Adds the page and asset routes, serving files from `root` (read on each request, so a
/// rebuild needs no restart). Add them after the API's routes.
void AddWebRoutes(Router& router, const std::string& root, Logger& logger);

}  // namespace rubrica::server
