#include "web_routes.h"

#include <unistd.h>

#include <climits>

#include "rubrica/base/files.h"
#include "rubrica/base/markup.h"

namespace rubrica::server {

namespace {

// The built pages are small; anything larger under assets/ is not ours.
constexpr uint64_t kMaxAssetBytes = 16ull << 20;

void SetSecurityHeaders(HttpExchange& ex) {
  ex.SetHeader("Content-Security-Policy", kWebContentSecurityPolicy);
  ex.SetHeader("X-Frame-Options", "DENY");
  ex.SetHeader("X-Content-Type-Options", "nosniff");
  // Invitation, re-enrolment and reset links carry their token in the query string.
  ex.SetHeader("Referrer-Policy", "no-referrer");
  ex.SetHeader("Cross-Origin-Opener-Policy", "same-origin");
  ex.SetHeader("Cross-Origin-Resource-Policy", "same-origin");
  ex.SetHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
}

std::string ContentType(const std::string& name) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".html", "text/html; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [ext, type] : kTypes) {
    const std::string e(ext);
    if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) {
      return type;
    }
  }
  return "application/octet-stream";
}

// A file name as Vite writes them: letters, digits, '.', '-', '_'; not hidden.
bool SafeAssetName(const std::string& name) {
  if (name.empty() || name.size() > 200 || name[0] == '.') return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

constexpr const char* kNotBuiltPage = R"(<!doctype html>
<html lang="es">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rúbrica: faltan las páginas web</title></head>
<body>
<main>
<h1>Rúbrica está en marcha, pero sus páginas web no se han construido</h1>
<p>El servicio responde en <code>/api</code>, pero no encontró las páginas en
<code>WEB_ROOT</code>.</p>
<p>Constrúyalas desde la copia del código con <code>scripts/web.sh</code> (lo hacen también
<code>scripts/serve.sh</code> y <code>scripts/test.sh</code>), o indique dónde están con la
clave de configuración <code>web.root</code> (variable <code>RUBRICA_WEB_ROOT</code>).</p>
</main>
</body>
</html>
)";

}  // namespace

const char* const kWebContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'";

const std::vector<std::string>& WebPagePaths() {
  static const std::vector<std::string> kPaths = {
      "/",                 // log in; the public list of secretariats
      "/pendientes",       // the member's tasks
      "/invitacion",       // ?token=: set password, choose PIN or device
      "/reinscripcion",    // ?token=: enrol a signing credential again
      "/restablecer",      // ?token=: set a new password
      "/actas/{acta_id}",  // the acta page by page: review, rubric, foot signature
      "/mi-firma",         // the member's signing credentials, an e.firma certificate
      "/verificar",        // public verification of any PDF
      "/secretariados/{secretariat_id}",  // a secretariat's public microsite
      "/secretariados/{secretariat_id}/buzon",       // questions, complaints, suggestions
      "/secretariados/{secretariat_id}/participar",  // a request to take part
      "/folio",            // ?folio=: a submission's status and answer
      "/datos-abiertos",   // the open data's dictionary
      "/garante",          // the organismo garante's board
      "/escritorio",       // the facilitator's desk
      "/archivo",          // the archive's search and downloads
  };
  return kPaths;
}

std::string DefaultWebRoot() {
  char buf[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "web";
  std::string exe(buf, static_cast<size_t>(n));
  const std::string bin_dir = exe.substr(0, exe.rfind('/'));
  const std::string build_tree = bin_dir + "/../../web";
  const std::string installed = bin_dir + "/../share/rubrica/web";
  if (!PathExists(build_tree + "/index.html") && PathExists(installed + "/index.html")) {
    return installed;
  }
  return build_tree;
}

void AddWebRoutes(Router& router, const std::string& root, Logger& logger) {
  if (!PathExists(root + "/index.html")) {
    logger.Warn("web.not_built", {{"root", root}, {"fix", "run scripts/web.sh or set web.root"}});
  }
  router.Add("GET", "/assets/{name}", [root](HttpExchange& ex) {
    const std::string name = ex.PathParam("name");
    SetSecurityHeaders(ex);
    auto bytes = SafeAssetName(name) ? ReadFile(root + "/assets/" + name, kMaxAssetBytes)
                                     : Result<std::string>(Status::Error(
                                           ErrorKind::kNotFound, "web.bad_name", "bad asset name"));
    if (!bytes.ok()) {
      return ex.SendError(Status::Error(ErrorKind::kNotFound, "web.not_found",
                                        "no asset " + name + " in " + root,
                                        "El archivo solicitado no existe."));
    }
    ex.SetHeader("Cache-Control", "public, max-age=31536000, immutable");
    ex.SendBytes(200, ContentType(name), *bytes);
  });
  for (const auto& path : WebPagePaths()) {
    router.Add("GET", path, [root](HttpExchange& ex) {
      SetSecurityHeaders(ex);
      ex.SetHeader("Cache-Control", "no-cache");
      auto page = ReadFile(root + "/index.html", kMaxAssetBytes);
      if (!page.ok()) {
        std::string html = kNotBuiltPage;
        html.replace(html.find("WEB_ROOT"), 8, EscapeMarkup(root));
        return ex.SendBytes(503, "text/html; charset=utf-8", html);
      }
      ex.SendBytes(200, "text/html; charset=utf-8", *page);
    });
  }
}

}  // namespace rubrica::server
