#include "microsite.h"

#include <cstdio>

#include "accounts.h"
#include "rubrica/base/json_writer.h"
#include "rubrica/server/api.h"
#include "rubrica/store/write_transaction.h"

namespace rubrica::server::api {

namespace {

using namespace std::chrono;

struct ItemType {
  std::string_view type;
  std::string_view extension;
  bool show_inline;
};

constexpr ItemType kItemTypes[] = {
    {"image/jpeg", "jpg", true},       {"image/png", "png", true},
    {"image/webp", "webp", true},      {"application/pdf", "pdf", true},
    {"video/mp4", "mp4", false},       {"video/webm", "webm", false},
    {"audio/mpeg", "mp3", false},      {"audio/ogg", "ogg", false},
    {"audio/wav", "wav", false},
};

const ItemType* FindType(std::string_view type) {
  for (const auto& t : kItemTypes) {
    if (t.type == type) return &t;
  }
  return nullptr;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

// Whether the file's first bytes are those of `type` (a browser that sniffs, or a player,
// then sees what the uploader declared).
bool BytesMatch(std::string_view type, std::string_view b) {
  if (type == "image/jpeg") return StartsWith(b, "\xFF\xD8\xFF");
  if (type == "image/png") return StartsWith(b, "\x89PNG\r\n\x1A\n");
  if (type == "image/webp") return StartsWith(b, "RIFF") && b.size() > 12 && b.substr(8, 4) == "WEBP";
  if (type == "application/pdf") return StartsWith(b, "%PDF-");
  if (type == "video/mp4") return b.size() > 12 && b.substr(4, 4) == "ftyp";
  if (type == "video/webm") return StartsWith(b, "\x1A\x45\xDF\xA3");
  if (type == "audio/mpeg") {
    return StartsWith(b, "ID3") ||
           (b.size() > 2 && static_cast<unsigned char>(b[0]) == 0xFF &&
            (static_cast<unsigned char>(b[1]) & 0xE0) == 0xE0);
  }
  if (type == "audio/ogg") return StartsWith(b, "OggS");
  if (type == "audio/wav") return StartsWith(b, "RIFF") && b.size() > 12 && b.substr(8, 4) == "WAVE";
  return false;
}

Status BadItem(std::string en, std::string es) {
  return Status::Error(ErrorKind::kInvalidArgument, "api.bad_item", std::move(en), std::move(es));
}


year_month_day ParseDay(const std::string& text) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (std::sscanf(text.c_str(), "%d-%u-%u", &y, &m, &d) != 3) return {};
  return year{y} / month{m} / day{d};
}

constexpr std::string_view kItemColumns =
    "SELECT id, secretariat_id, kind, title, published_on, description, url, blob_id, "
    "content_type, size, created_us FROM ms_item ";

MicrositeItem ItemRow(const store::Statement& st) {
  MicrositeItem i;
  i.id = st.ColumnInt(0);
  i.secretariat_id = st.ColumnInt(1);
  i.kind = st.ColumnText(2);
  i.title = st.ColumnText(3);
  i.published_on = ParseDay(st.ColumnText(4));
  i.description = st.ColumnText(5);
  i.url = st.ColumnText(6);
  i.blob_id = st.ColumnText(7);
  i.content_type = st.ColumnText(8);
  i.size = st.ColumnInt(9);
  i.created_at = FromUnixMicros(st.ColumnInt(10));
  return i;
}

}  // namespace

const std::vector<std::string_view>& MicrositeItemKinds() {
  static const std::vector<std::string_view> kKinds = {"photo", "video", "audio", "communique"};
  return kKinds;
}

bool AllowedItemType(std::string_view content_type) { return FindType(content_type) != nullptr; }

bool InlineItemType(std::string_view content_type) {
  const ItemType* t = FindType(content_type);
  return t && t->show_inline;
}

std::string_view ItemExtension(std::string_view content_type) {
  const ItemType* t = FindType(content_type);
  return t ? t->extension : "bin";
}

bool IsWebUrl(std::string_view url, bool https_only) {
  if (url.size() > 2000) return false;
  std::string_view rest;
  if (StartsWith(url, "https://")) {
    rest = url.substr(8);
  } else if (!https_only && StartsWith(url, "http://")) {
    rest = url.substr(7);
  } else {
    return false;
  }
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7F || c == '"' || c == '<' || c == '>' || c == '\\') return false;
  }
  const size_t host_end = rest.find_first_of("/?#");
  const std::string_view host = rest.substr(0, host_end);
  return !host.empty() && host.find('@') == std::string_view::npos;
}

Result<MicrositeProfile> Microsite::Profile(int64_t secretariat_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  MicrositeProfile p;
  {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("SELECT email, phone, address, hours FROM ms_profile WHERE "
                                "secretariat_id = ?"));
    st.Bind(1, secretariat_id);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) {
      p.email = st.ColumnText(0);
      p.phone = st.ColumnText(1);
      p.address = st.ColumnText(2);
      p.hours = st.ColumnText(3);
    }
  }
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare("SELECT title, url FROM ms_link WHERE secretariat_id = ? ORDER BY "
                              "position"));
  st.Bind(1, secretariat_id);
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    p.links.push_back({st.ColumnText(0), st.ColumnText(1)});
  }
  return p;
}

Status Microsite::SetProfile(std::string_view actor, int64_t secretariat_id,
                             const MicrositeProfile& p) {
  for (const auto& l : p.links) {
    if (!IsWebUrl(l.url, false)) {
      return Status::Error(ErrorKind::kInvalidArgument, "api.bad_url",
                           "link '" + l.url + "' is not an http(s) URL",
                           "El enlace «" + l.title + "» no es una dirección web (https://…).");
    }
  }
  return store::WriteTransaction(db_, [&](store::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("INSERT INTO ms_profile(secretariat_id, email, phone, address, "
                                "hours, updated_us) VALUES(?,?,?,?,?,?) ON CONFLICT"
                                "(secretariat_id) DO UPDATE SET email = excluded.email, phone = "
                                "excluded.phone, address = excluded.address, hours = "
                                "excluded.hours, updated_us = excluded.updated_us"));
    st.Bind(1, secretariat_id)
        .Bind(2, p.email)
        .Bind(3, p.phone)
        .Bind(4, p.address)
        .Bind(5, p.hours)
        .Bind(6, UnixMicros(clock_.Now()));
    RETURN_IF_ERROR(st.Run());
    ASSIGN_OR_RETURN(store::Statement del, tx.Prepare("DELETE FROM ms_link WHERE secretariat_id = ?"));
    del.Bind(1, secretariat_id);
    RETURN_IF_ERROR(del.Run());
    int64_t position = 0;
    for (const auto& l : p.links) {
      ASSIGN_OR_RETURN(store::Statement ins,
                       tx.Prepare("INSERT INTO ms_link(secretariat_id, position, title, url) "
                                  "VALUES(?,?,?,?)"));
      ins.Bind(1, secretariat_id).Bind(2, ++position).Bind(3, l.title).Bind(4, l.url);
      RETURN_IF_ERROR(ins.Run());
    }
    return audit_
        .Append(tx, {std::string(actor), "microsite.profile_set", "secretariat",
                     std::to_string(secretariat_id),
                     Payload({{"links", std::to_string(p.links.size())}})})
        .status();
  });
}

Result<MicrositeItem> Microsite::AddItem(std::string_view actor, const NewMicrositeItem& in) {
  const bool has_url = !in.url.empty();
  const bool has_file = !in.file.empty();
  if (has_url == has_file) {
    return BadItem("an item needs either a url or a file",
                   "Indique un enlace o adjunte un archivo (uno de los dos).");
  }
  if (has_url && !IsWebUrl(in.url, true)) {
    return BadItem("item url '" + in.url + "' is not https",
                   "El enlace debe ser una dirección segura (https://…).");
  }
  if (has_file && !AllowedItemType(in.content_type)) {
    return BadItem("content type '" + in.content_type + "' is not accepted",
                   "Ese tipo de archivo no se admite: suba una imagen JPEG, PNG o WebP, un PDF, "
                   "un video MP4 o WebM, o un audio MP3, Ogg o WAV.");
  }
  if (has_file && !BytesMatch(in.content_type, in.file)) {
    return BadItem("file bytes are not " + in.content_type,
                   "El contenido del archivo no corresponde al tipo indicado.");
  }
  std::string blob_id;
  if (has_file) {
    ASSIGN_OR_RETURN(blob_id, blobs_.Put(in.file));
  }
  return store::WriteTransaction(db_, [&](store::Transaction& tx) -> Result<MicrositeItem> {
    ASSIGN_OR_RETURN(store::Statement st,
                     tx.Prepare("INSERT INTO ms_item(secretariat_id, kind, title, published_on, "
                                "description, url, blob_id, content_type, size, created_us) "
                                "VALUES(?,?,?,?,?,?,?,?,?,?)"));
    st.Bind(1, in.secretariat_id)
        .Bind(2, in.kind)
        .Bind(3, in.title)
        .Bind(4, FormatIsoDate(in.published_on))
        .Bind(5, in.description)
        .Bind(6, in.url)
        .Bind(7, blob_id)
        .Bind(8, has_file ? in.content_type : std::string())
        .Bind(9, static_cast<int64_t>(in.file.size()))
        .Bind(10, UnixMicros(clock_.Now()));
    RETURN_IF_ERROR(st.Run());
    const int64_t id = tx.LastInsertId();
    RETURN_IF_ERROR(audit_
                        .Append(tx, {std::string(actor), "microsite.item_add", "microsite_item",
                                     std::to_string(id),
                                     Payload({{"secretariat", std::to_string(in.secretariat_id)},
                                           {"kind", in.kind},
                                           {"title", in.title},
                                           {"blob", blob_id}})})
                        .status());
    ASSIGN_OR_RETURN(store::Statement get, tx.Prepare(std::string(kItemColumns) + "WHERE id = ?"));
    get.Bind(1, id);
    ASSIGN_OR_RETURN(bool row, get.Step());
    (void)row;
    return ItemRow(get);
  });
}

Result<std::vector<MicrositeItem>> Microsite::Items(int64_t secretariat_id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(store::Statement st,
                   tx.Prepare(std::string(kItemColumns) +
                              "WHERE secretariat_id = ? ORDER BY published_on DESC, id DESC"));
  st.Bind(1, secretariat_id);
  std::vector<MicrositeItem> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ItemRow(st));
  }
  return out;
}

Result<MicrositeItem> Microsite::Item(int64_t id) const {
  ASSIGN_OR_RETURN(store::Transaction tx, db_.BeginRead());
  ASSIGN_OR_RETURN(store::Statement st, tx.Prepare(std::string(kItemColumns) + "WHERE id = ?"));
  st.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return Status::Error(ErrorKind::kNotFound, "api.not_found",
                         "no microsite item " + std::to_string(id),
                         "Esa publicación no existe.");
  }
  return ItemRow(st);
}

}  // namespace rubrica::server::api

namespace rubrica::server {

const std::vector<store::Migration>& MicrositeMigrations() {
  static const std::vector<store::Migration> kMigrations = {
      {1, "microsite: contact, links, published items, the public's submissions", R"sql(
        CREATE TABLE ms_profile(
          secretariat_id INTEGER PRIMARY KEY,
          email TEXT NOT NULL,
          phone TEXT NOT NULL,
          address TEXT NOT NULL,
          hours TEXT NOT NULL,
          updated_us INTEGER NOT NULL
        );
        CREATE TABLE ms_link(
          secretariat_id INTEGER NOT NULL,
          position INTEGER NOT NULL,
          title TEXT NOT NULL,
          url TEXT NOT NULL,
          PRIMARY KEY(secretariat_id, position)
        );
        CREATE TABLE ms_item(
          id INTEGER PRIMARY KEY,
          secretariat_id INTEGER NOT NULL,
          kind TEXT NOT NULL CHECK(kind IN ('photo','video','audio','communique')),
          title TEXT NOT NULL,
          published_on TEXT NOT NULL,
          description TEXT NOT NULL,
          url TEXT NOT NULL,
          blob_id TEXT NOT NULL,
          content_type TEXT NOT NULL,
          size INTEGER NOT NULL,
          created_us INTEGER NOT NULL,
          CHECK((url = '') <> (blob_id = ''))
        );
        CREATE INDEX ms_item_by_secretariat ON ms_item(secretariat_id, published_on);
        CREATE TABLE ms_submission(
          id INTEGER PRIMARY KEY,
          secretariat_id INTEGER NOT NULL,
          folio TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL
            CHECK(kind IN ('question','complaint','suggestion','participation')),
          name TEXT NOT NULL,
          contact TEXT NOT NULL,
          organisation TEXT NOT NULL,
          text TEXT NOT NULL,
          filed_us INTEGER NOT NULL,
          answer TEXT NOT NULL DEFAULT '',
          answered_us INTEGER,
          answered_by TEXT
        );
        CREATE INDEX ms_submission_by_secretariat ON ms_submission(secretariat_id, filed_us);
      )sql"},
  };
  return kMigrations;
}

}  // namespace rubrica::server
