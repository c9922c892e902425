#include "rubrica/pdf/cos/pdf_file.h"

#include <zlib.h>

#include <algorithm>
#include <atomic>

namespace rubrica::pdf::cos {

namespace {

Status Structure(const std::string& what) {
  return Status::Error(ErrorKind::kInvalidArgument, "pdf.revision_structure", what,
                       "La estructura de revisiones del PDF no es válida.");
}

// Parses one `xref` section at `offset` into `rev` (entries + trailer); sets `after` to the
// position following the trailer dictionary.
Status ParseXrefSection(const Parser& p, size_t offset, Revision& rev, size_t& after,
                        size_t max_entries) {
  std::string_view d = p.data();
  if (offset >= d.size()) return Structure("startxref/Prev " + std::to_string(offset) + " is past the end of the file");
  if (!p.AtKeyword(offset, "xref")) {
    auto obj = p.ParseIndirect(offset);
    if (obj.ok() && obj->value.is_stream() && obj->value.Get("Type") &&
        obj->value.Get("Type")->is_name("XRef")) {
      return Status::Error(ErrorKind::kInvalidArgument, "pdf.unsupported_xref_stream",
                           "cross-reference stream at offset " + std::to_string(offset) +
                               " (only classic xref tables are supported)",
                           "Este tipo de PDF (con flujos de referencias cruzadas) no se puede "
                           "verificar.");
    }
    return Structure("no 'xref' keyword at offset " + std::to_string(offset));
  }
  size_t pos = offset + 4;
  size_t total = 0;
  for (;;) {
    p.SkipSpace(pos);
    if (p.AtKeyword(pos, "trailer")) break;
    auto first = p.ReadUnsigned(pos);
    if (!first) return Structure("bad xref subsection header at offset " + std::to_string(pos));
    size_t sp = pos;
    while (pos < d.size() && d[pos] == ' ') ++pos;
    if (pos == sp) return Structure("bad xref subsection header at offset " + std::to_string(pos));
    auto count = p.ReadUnsigned(pos);
    if (!count) return Structure("bad xref subsection count at offset " + std::to_string(pos));
    total += static_cast<size_t>(*count);
    // *first is checked on its own first: *first + *count may not fit in 64 bits.
    if (total > max_entries || static_cast<size_t>(*first) > max_entries ||
        static_cast<size_t>(*first + *count) > max_entries + 1) {
      return Structure("xref section too large at offset " + std::to_string(offset));
    }
    // End of the header line.
    while (pos < d.size() && (d[pos] == ' ')) ++pos;
    if (pos < d.size() && d[pos] == '\r') ++pos;
    if (pos < d.size() && d[pos] == '\n') ++pos;
    for (int64_t i = 0; i < *count; ++i) {
      if (pos + 20 > d.size()) return Structure("truncated xref entry at offset " + std::to_string(pos));
      std::string_view e = d.substr(pos, 20);
      bool ok = e[10] == ' ' && e[16] == ' ' && (e[17] == 'n' || e[17] == 'f') &&
                ((e[18] == ' ' && (e[19] == '\n' || e[19] == '\r')) || (e[18] == '\r' && e[19] == '\n'));
      for (int k = 0; k < 10 && ok; ++k) ok = e[k] >= '0' && e[k] <= '9';
      for (int k = 11; k < 16 && ok; ++k) ok = e[k] >= '0' && e[k] <= '9';
      if (!ok) return Structure("malformed xref entry at offset " + std::to_string(pos));
      XrefEntry entry;
      entry.offset = std::stoll(std::string(e.substr(0, 10)));
      entry.gen = std::stoi(std::string(e.substr(11, 5)));
      entry.in_use = e[17] == 'n';
      int num = static_cast<int>(*first + i);
      if (rev.entries.count(num)) return Structure("object " + std::to_string(num) + " listed twice in the xref at " + std::to_string(offset));
      rev.entries[num] = entry;
      pos += 20;
    }
  }
  pos += 7;
  auto trailer = p.ParseObject(pos);
  if (!trailer.ok()) return trailer.status().WithContext("trailer");
  if (trailer->type() != Object::Type::kDict) return Structure("trailer is not a dictionary");
  rev.trailer = std::move(*trailer);
  after = pos;
  return Status::Ok();
}

}  // namespace

struct PdfFile::Impl {
  std::string owned;       // when opened with Open()
  std::string_view bytes;  // the file: `owned`, or the caller's bytes (OpenView)
  ParseLimits limits;
  std::vector<Revision> revisions;
  // (object number, revision) of every xref entry, sorted, so that finding the revision
  // that defines an object is a binary search rather than a walk over every revision.
  std::vector<std::pair<int, size_t>> listings;
  // Per revision, the sorted offsets of its in-use objects: an object is parsed only up to
  // the next one (or the xref), so objects nested inside other objects' strings cannot make
  // the parser read the same bytes once per object.
  std::vector<std::vector<size_t>> object_starts;
  mutable std::map<std::pair<int, size_t>, IndirectObject> cache;  // (num, defining rev)
  mutable int length_depth = 0;
};

PdfFile::PdfFile(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PdfFile::PdfFile(PdfFile&&) noexcept = default;
PdfFile& PdfFile::operator=(PdfFile&&) noexcept = default;
PdfFile::~PdfFile() = default;

std::string_view PdfFile::bytes() const { return impl_->bytes; }

Result<PdfFile> PdfFile::Open(std::string bytes, ParseLimits limits) {
  auto impl = std::make_unique<Impl>();
  impl->owned = std::move(bytes);
  impl->bytes = impl->owned;
  return Parse(std::move(impl), limits);
}

Result<PdfFile> PdfFile::OpenView(std::string_view bytes, ParseLimits limits) {
  auto impl = std::make_unique<Impl>();
  impl->bytes = bytes;
  return Parse(std::move(impl), limits);
}
const std::vector<Revision>& PdfFile::revisions() const { return impl_->revisions; }
const ParseLimits& PdfFile::limits() const { return impl_->limits; }

namespace {
std::atomic<uint64_t> g_opened{0};
}  // namespace

uint64_t PdfFile::OpenedSoFar() { return g_opened.load(std::memory_order_relaxed); }

Result<PdfFile> PdfFile::Parse(std::unique_ptr<Impl> impl, ParseLimits limits) {
  g_opened.fetch_add(1, std::memory_order_relaxed);
  impl->limits = limits;
  const std::string_view d = impl->bytes;
  Parser p(d, limits);
  if (d.size() < 16 || d.compare(0, 7, "%PDF-1.") != 0) {
    return Status::Error(ErrorKind::kInvalidArgument, "pdf.not_a_pdf",
                         "the file does not start with a %PDF-1.x header",
                         "El archivo no es un PDF.");
  }
  // The file ends with %%EOF and optional whitespace.
  size_t tail = d.size();
  while (tail > 0 && IsPdfWhitespace(d[tail - 1])) --tail;
  if (tail < 5 || d.compare(tail - 5, 5, "%%EOF") != 0) {
    return Structure("the file does not end with %%EOF (truncated, or data appended after it)");
  }
  // Walk the chain from the last startxref.
  size_t sx = d.rfind("startxref", tail);
  if (sx == std::string::npos) return Structure("no startxref");
  size_t pos = sx + 9;
  p.SkipSpace(pos);
  auto last_xref = p.ReadUnsigned(pos);
  if (!last_xref) return Structure("no offset after the last startxref");

  std::vector<Revision> chain;  // newest first
  size_t xref = static_cast<size_t>(*last_xref);
  const size_t kMaxRevisions = 10000;
  for (;;) {
    if (chain.size() >= kMaxRevisions) return Structure("more than 10000 revisions");
    // A revision ends before the xref of the one after it. Reading it only up to there
    // keeps the walk linear: sections nested in each other's trailers cannot be re-read.
    const size_t limit = chain.empty() ? d.size() : chain.back().xref_offset;
    const Parser bounded(std::string_view(d).substr(0, limit), limits);
    Revision rev;
    rev.xref_offset = xref;
    size_t after = 0;
    Status section = ParseXrefSection(bounded, xref, rev, after,
                                      static_cast<size_t>(limits.max_object_number));
    if (section.code() == "pdf.unsupported_xref_stream") {
      // A later revision switching to a cross-reference stream is kept, flagged, so the
      // verifier can name the switch; an original revision with one is refused below.
      auto obj = bounded.ParseIndirect(xref);
      if (!obj.ok() || obj->value.Get("Prev") == nullptr) return section;
      rev.xref_stream = true;
      rev.trailer = Object::MakeDict(obj->value.dict());
      after = obj->end;
    } else if (!section.ok()) {
      return section;
    }
    if (rev.trailer.Get("Encrypt") != nullptr) {
      return Status::Error(ErrorKind::kInvalidArgument, "pdf.encrypted",
                           "the PDF is encrypted (trailer /Encrypt)",
                           "El PDF está cifrado y no se puede verificar.");
    }
    if (rev.trailer.Get("XRefStm") != nullptr) {
      return Status::Error(ErrorKind::kInvalidArgument, "pdf.unsupported_xref_stream",
                           "hybrid-reference file (trailer /XRefStm)",
                           "Este tipo de PDF no se puede verificar.");
    }
    const Object* size = rev.trailer.Get("Size");
    if (size == nullptr || !size->is_int() || size->as_int() < 1 ||
        size->as_int() > limits.max_object_number + 1) {
      return Structure("trailer at " + std::to_string(after) + " has no valid /Size");
    }
    // startxref N %%EOF right after the trailer.
    const std::string_view v = bounded.data();
    size_t q = after;
    bounded.SkipSpace(q);
    if (!bounded.AtKeyword(q, "startxref")) return Structure("no startxref after the trailer of the xref at " + std::to_string(xref));
    q += 9;
    bounded.SkipSpace(q);
    auto n = bounded.ReadUnsigned(q);
    if (!n || static_cast<size_t>(*n) != xref) {
      return Structure("startxref after the trailer at " + std::to_string(after) +
                       " does not point at its own xref (" + std::to_string(xref) + ")");
    }
    while (q < v.size() && (v[q] == ' ' || v[q] == '\r' || v[q] == '\n' || v[q] == '\t')) ++q;
    if (v.compare(q, 5, "%%EOF") != 0) return Structure("no %%EOF after startxref at " + std::to_string(q));
    q += 5;
    if (q < v.size() && v[q] == '\r') ++q;
    if (q < v.size() && v[q] == '\n') ++q;
    rev.end = q;
    const Object* prev = rev.trailer.Get("Prev");
    chain.push_back(std::move(rev));
    if (prev == nullptr) break;
    if (!prev->is_int() || prev->as_int() < 0 || static_cast<size_t>(prev->as_int()) >= xref) {
      return Structure("/Prev of the xref at " + std::to_string(xref) + " does not point backwards");
    }
    xref = static_cast<size_t>(prev->as_int());
  }
  std::reverse(chain.begin(), chain.end());
  for (size_t i = 0; i < chain.size(); ++i) {
    Revision& r = chain[i];
    r.start = i == 0 ? 0 : chain[i - 1].end;
    if (i > 0 && r.xref_offset < r.start) {
      return Structure("revision " + std::to_string(i) + " overlaps the revision before it");
    }
    for (const auto& [num, e] : r.entries) {
      if (!e.in_use) continue;
      if (e.offset < static_cast<int64_t>(r.start) || e.offset >= static_cast<int64_t>(r.xref_offset)) {
        return Structure("revision " + std::to_string(i) + " places object " + std::to_string(num) +
                         " at " + std::to_string(e.offset) + ", outside its own bytes [" +
                         std::to_string(r.start) + ", " + std::to_string(r.xref_offset) + ")");
      }
    }
    if (i > 0 && chain[i].trailer.Get("Size")->as_int() < chain[i - 1].trailer.Get("Size")->as_int()) {
      return Structure("revision " + std::to_string(i) + " shrinks /Size");
    }
  }
  // Bytes after the last revision: only whitespace (checked above via %%EOF at the tail),
  // and the last revision must end where the file's content ends.
  if (chain.back().end < tail) return Structure("bytes after the last revision's %%EOF");
  impl->object_starts.resize(chain.size());
  for (size_t r = 0; r < chain.size(); ++r) {
    for (const auto& [num, e] : chain[r].entries) {
      impl->listings.emplace_back(num, r);
      if (e.in_use) impl->object_starts[r].push_back(static_cast<size_t>(e.offset));
    }
    std::sort(impl->object_starts[r].begin(), impl->object_starts[r].end());
  }
  std::sort(impl->listings.begin(), impl->listings.end());
  impl->revisions = std::move(chain);
  return PdfFile(std::move(impl));
}

std::optional<size_t> PdfFile::DefiningRevision(int num, size_t rev) const {
  const auto& listings = impl_->listings;
  rev = std::min(rev, impl_->revisions.size() - 1);
  auto it = std::upper_bound(listings.begin(), listings.end(), std::make_pair(num, rev));
  if (it == listings.begin() || (--it)->first != num) return std::nullopt;
  return it->second;
}

Result<std::pair<size_t, size_t>> PdfFile::Span(Ref ref, size_t rev) const {
  auto def = DefiningRevision(ref.num, rev);
  if (!def) return Status::Error(ErrorKind::kNotFound, "pdf.no_object", "object " + std::to_string(ref.num) + " is not defined");
  ASSIGN_OR_RETURN(Object o, Get(ref, rev));
  (void)o;
  const IndirectObject& io = impl_->cache.at({ref.num, *def});
  return std::make_pair(io.begin, io.end);
}

Result<Object> PdfFile::Get(Ref ref, size_t rev) const {
  auto def = DefiningRevision(ref.num, rev);
  if (!def) return Object();
  const XrefEntry& e = impl_->revisions[*def].entries.at(ref.num);
  if (!e.in_use || e.gen != ref.gen) return Object();
  auto key = std::make_pair(ref.num, *def);
  if (auto it = impl_->cache.find(key); it != impl_->cache.end()) return it->second.value;
  const std::vector<size_t>& starts = impl_->object_starts[*def];
  auto next = std::upper_bound(starts.begin(), starts.end(), static_cast<size_t>(e.offset));
  const size_t bound = next == starts.end() ? impl_->revisions[*def].xref_offset : *next;
  Parser p(std::string_view(impl_->bytes).substr(0, bound), impl_->limits);
  LengthResolver resolve = [this, rev](Ref r) -> std::optional<int64_t> {
    if (impl_->length_depth > 0) return std::nullopt;  // no /Length chains
    ++impl_->length_depth;
    auto o = Get(r, rev);
    --impl_->length_depth;
    if (!o.ok() || !o->is_int()) return std::nullopt;
    return o->as_int();
  };
  auto io = p.ParseIndirect(static_cast<size_t>(e.offset), resolve);
  if (!io.ok()) return io.status().WithContext("object " + std::to_string(ref.num));
  if (!(io->ref == ref)) {
    return Structure("xref entry for object " + std::to_string(ref.num) + " " +
                     std::to_string(ref.gen) + " points at object " + std::to_string(io->ref.num) +
                     " " + std::to_string(io->ref.gen) + " (offset " + std::to_string(e.offset) + ")");
  }
  Object value = io->value;
  impl_->cache.emplace(key, std::move(*io));
  return value;
}

Result<Object> PdfFile::Resolve(const Object& obj, size_t rev) const {
  if (!obj.is_ref()) return obj;
  return Get(obj.ref(), rev);
}

Result<Object> PdfFile::Catalog(size_t rev) const {
  const Object* root = impl_->revisions[rev].trailer.Get("Root");
  if (root == nullptr || !root->is_ref()) return Structure("trailer has no /Root reference");
  ASSIGN_OR_RETURN(Object cat, Get(root->ref(), rev));
  if (!cat.is_dict()) return Structure("/Root is not a dictionary");
  return cat;
}

int PdfFile::Size(size_t rev) const {
  return static_cast<int>(impl_->revisions[rev].trailer.Get("Size")->as_int());
}

Result<std::string> Inflate(std::string_view in, size_t max_output) {
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) {
    return Status::Error(ErrorKind::kInternal, "pdf.zlib", "inflateInit failed");
  }
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[1 << 15];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      return Status::Error(ErrorKind::kInvalidArgument, "pdf.bad_stream",
                           "compressed stream is corrupt (zlib " + std::to_string(rc) + ")",
                           "El PDF contiene datos comprimidos dañados.");
    }
    out.append(buf, sizeof buf - zs.avail_out);
    if (out.size() > max_output) {
      inflateEnd(&zs);
      return Status::Error(ErrorKind::kTooLarge, "pdf.stream_too_large",
                           "a compressed stream expands past the limit of " +
                               std::to_string(max_output) + " bytes (decompression bomb?)",
                           "El PDF contiene un flujo comprimido desproporcionado.");
    }
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      return Status::Error(ErrorKind::kInvalidArgument, "pdf.bad_stream",
                           "compressed stream is truncated",
                           "El PDF contiene datos comprimidos incompletos.");
    }
  }
  inflateEnd(&zs);
  return out;
}

Result<std::string> DecodeStream(const Object& stream, size_t max_output) {
  const Object* filter = stream.Get("Filter");
  if (filter == nullptr) return stream.stream_data();
  std::vector<std::string> filters;
  if (filter->is_name()) filters.push_back(filter->text());
  else if (filter->is_array()) {
    for (const Object& f : filter->array()) filters.push_back(f.is_name() ? f.text() : "?");
  }
  if (filters.size() == 1 && filters[0] == "FlateDecode" && stream.Get("DecodeParms") == nullptr) {
    return Inflate(stream.stream_data(), max_output);
  }
  return Status::Error(ErrorKind::kInvalidArgument, "pdf.unsupported_filter",
                       "unsupported stream filter or parameters",
                       "El PDF usa una compresión no admitida.");
}

}  // namespace rubrica::pdf::cos
