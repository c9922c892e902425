// A secretariat's microsite content that is not in the workflows (seed III.12): its contact
// and links (configuration, set by the facilitator) and its published items — evidence
// (photos, video, audio) and communiqués — each a title, a date, a kind, and either a file
// kept in the blob store or an external https URL.
//
// Files are accepted only in a few types whose first bytes match what the uploader says
// (JPEG, PNG, WebP, PDF, MP4, WebM, MP3, Ogg, WAV): never HTML, SVG or script. Their bytes
// live in the blob store; the table keeps the type and a safe file name. Writes are
// audited. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/store/audit_log.h"
#include "rubrica/store/blob_store.h"
#include "rubrica/store/database.h"

namespace rubrica::server::api {

struct MicrositeLink {
  std::string title;
  std::string url;  // http(s)
};

struct MicrositeProfile {
  std::string email;
  std::string phone;
  std::string address;
  std::string hours;  // office hours, as written
  std::vector<MicrositeLink> links;
};

/// "photo", "video", "audio", "communique".
const std::vector<std::string_view>& MicrositeItemKinds();

struct NewMicrositeItem {
  int64_t secretariat_id = 0;
  std::string kind;
  std::string title;
  std::chrono::year_month_day published_on;
  std::string description;
  std::string url;           // either a URL...
  std::string file;          // ...or the file's bytes
  std::string content_type;  // of the file
};

struct MicrositeItem {
  int64_t id = 0;
  int64_t secretariat_id = 0;
  std::string kind;
  std::string title;
  std::chrono::year_month_day published_on;
  std::string description;
  std::string url;           // empty for a file
  std::string blob_id;       // empty for a URL
  std::string content_type;  // of the file
  int64_t size = 0;
  Instant created_at;
};

/// The content types a file may have, and whether a browser may show it in place (images
/// and PDF); everything else is sent as an attachment.
bool AllowedItemType(std::string_view content_type);
bool InlineItemType(std::string_view content_type);
/// The file's extension for its type ("jpg").
std::string_view ItemExtension(std::string_view content_type);

class Microsite {
 public:
  Microsite(store::Database& db, const store::BlobStore& blobs, const store::AuditLog& audit,
            const Clock& clock)
      : db_(db), blobs_(blobs), audit_(audit), clock_(clock) {}

  /// The profile; empty fields until the facilitator sets them.
  Result<MicrositeProfile> Profile(int64_t secretariat_id) const;
  /// Replaces contact and links. api.bad_url for a link that is not http(s).
  Status SetProfile(std::string_view actor, int64_t secretariat_id, const MicrositeProfile& p);

  /// api.bad_item (kInvalidArgument): neither or both of url and file, a URL that is not
  /// https, a type not allowed, bytes that do not match the type.
  Result<MicrositeItem> AddItem(std::string_view actor, const NewMicrositeItem& in);
  /// Newest published first.
  Result<std::vector<MicrositeItem>> Items(int64_t secretariat_id) const;
  /// api.not_found.
  Result<MicrositeItem> Item(int64_t id) const;

 private:
  store::Database& db_;
  const store::BlobStore& blobs_;
  const store::AuditLog& audit_;
  const Clock& clock_;
};

/// Whether `url` is an absolute http(s) URL with a host and no spaces or control
/// characters (links and items); `https_only` refuses http.
bool IsWebUrl(std::string_view url, bool https_only);

}  // namespace rubrica::server::api
