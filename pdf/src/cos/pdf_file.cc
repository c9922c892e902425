#include "rubrica/pdf/cos/pdf_file.h"

#include <algorithm>
#include <atomic>
#include <set>
#include <unordered_map>

#include "security_handler.h"
#include "xref_reader.h"

namespace rubrica::pdf::cos {

namespace {

Status Structure(const std::string& what) { return RevisionStructureError(what); }

// The first object of a linearized file: its dictionary has /Linearized (Annex F.2).
bool IsLinearized(const Parser& p) {
  size_t pos = 0;
  // Header line and the binary comment line.
  p.SkipSpace(pos);
  auto obj = p.ParseIndirect(pos);
  return obj.ok() && obj->value.is_dict() && obj->value.Get("Linearized") != nullptr;
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
  struct KeyHash {
    size_t operator()(const std::pair<int, size_t>& k) const {
      return std::hash<uint64_t>()((static_cast<uint64_t>(static_cast<uint32_t>(k.first)) << 24) ^ k.second);
    }
  };
  // (num, defining rev) -> the object parsed; hashed (looked up at every Find), and its
  // nodes never move.
  mutable std::unordered_map<std::pair<int, size_t>, IndirectObject, KeyHash> cache;
  mutable int length_depth = 0;
  mutable int stream_depth = 0;
  // Decoded object streams: (stream number, defining revision) -> (data, offsets by index).
  struct ObjectStream {
    std::string data;
    std::vector<std::pair<int, size_t>> objects;  // (number, offset in data)
  };
  mutable std::map<std::pair<int, size_t>, ObjectStream> object_streams;
  mutable size_t object_stream_bytes = 0;
  std::unique_ptr<SecurityHandler> security;
  std::optional<Ref> encrypt_ref;  // read in clear
  mutable std::vector<ReadNote> notes;
  mutable std::set<std::pair<int, size_t>> noted;  // objects whose ambiguity is already noted
  mutable std::set<std::pair<int, size_t>> noted_length;  // objects whose /Length is already noted
  // (object number, revision) of entries that share their offset with another entry of the
  // same revision: the one whose header names another object reads as no object.
  std::set<std::pair<int, size_t>> shared_offset;

  void Note(size_t rev, int object, std::string code, std::string message, std::string message_es) const {
    if (notes.size() < 1000) notes.push_back({rev, object, std::move(code), std::move(message), std::move(message_es)});
  }
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

  const size_t max_entries = static_cast<size_t>(limits.max_object_number);
  const size_t max_decoded = 64u << 20;  // one cross-reference stream
  const bool linearized = IsLinearized(p);
  std::vector<Revision> chain;  // newest first
  std::vector<std::vector<int>> twice;  // per revision (newest first): numbers listed twice
  size_t xref = static_cast<size_t>(*last_xref);
  const size_t kMaxRevisions = 10000;
  // Reads "startxref N %%EOF" at `q`; returns the end of the line after %%EOF, or an error.
  auto read_eof = [&](const Parser& bounded, size_t q, size_t expect, bool allow_zero) -> Result<size_t> {
    const std::string_view v = bounded.data();
    bounded.SkipSpace(q);
    if (!bounded.AtKeyword(q, "startxref")) {
      return Structure("no startxref after the cross-reference section at " + std::to_string(expect));
    }
    q += 9;
    bounded.SkipSpace(q);
    auto n = bounded.ReadUnsigned(q);
    if (!n || (static_cast<size_t>(*n) != expect && !(allow_zero && *n == 0))) {
      return Structure("startxref after the cross-reference section at " + std::to_string(expect) +
                       " does not point at its own section");
    }
    while (q < v.size() && (v[q] == ' ' || v[q] == '\r' || v[q] == '\n' || v[q] == '\t')) ++q;
    if (v.compare(q, 5, "%%EOF") != 0) return Structure("no %%EOF after startxref at " + std::to_string(q));
    q += 5;
    if (q < v.size() && v[q] == '\r') ++q;
    if (q < v.size() && v[q] == '\n') ++q;
    return q;
  };
  for (;;) {
    if (chain.size() >= kMaxRevisions) return Structure("more than 10000 revisions");
    // A revision ends before the section of the one after it. Reading it only up to there
    // keeps the walk linear: sections nested in each other's trailers cannot be re-read.
    const size_t limit = chain.empty() ? d.size() : chain.back().xref_offset;
    const Parser bounded(std::string_view(d).substr(0, limit), limits);
    Revision rev;
    rev.xref_offset = xref;
    size_t after = 0;
    std::vector<int> listed_twice;
    RETURN_IF_ERROR(ParseXrefSection(bounded, xref, rev, after, max_entries, max_decoded, listed_twice));
    const Object* size = rev.trailer.Get("Size");
    if (size == nullptr || !size->is_int() || size->as_int() < 1 ||
        size->as_int() > limits.max_object_number + 1) {
      return Structure("trailer at " + std::to_string(after) + " has no valid /Size");
    }
    const Object* prev = rev.trailer.Get("Prev");
    // Linearized original: the first-page section (right after the linearization
    // dictionary) is followed by "startxref 0" and its /Prev points forward at the main
    // section, at the end of the original revision.
    const bool first_page = linearized && prev != nullptr && prev->is_int() &&
                            static_cast<size_t>(prev->as_int()) > xref &&
                            static_cast<size_t>(prev->as_int()) < limit;
    ASSIGN_OR_RETURN(size_t end, read_eof(bounded, after, xref, first_page));
    rev.end = end;
    if (first_page) {
      const size_t main_at = static_cast<size_t>(prev->as_int());
      Revision main;
      size_t main_after = 0;
      RETURN_IF_ERROR(ParseXrefSection(bounded, main_at, main, main_after, max_entries, max_decoded, listed_twice));
      if (main.trailer.Get("Prev") != nullptr) return Structure("the main section of a linearized file has a /Prev");
      ASSIGN_OR_RETURN(size_t main_end, read_eof(bounded, main_after, xref, false));
      for (const auto& [num, e] : main.entries) {
        if (!rev.entries.emplace(num, e).second && listed_twice.size() < 64) listed_twice.push_back(num);
      }
      rev.end = main_end;
      rev.linearized = true;
      rev.trailer.Remove("Prev");
      prev = nullptr;
    }
    // Hybrid: the table's in-use entries win; the stream fills in the rest (§7.5.8.4).
    if (const Object* xs = rev.trailer.Get("XRefStm")) {
      if (!xs->is_int() || xs->as_int() < 0 || static_cast<size_t>(xs->as_int()) >= limit) {
        return Structure("/XRefStm of the section at " + std::to_string(xref) + " is out of range");
      }
      std::map<int, XrefEntry> hidden;
      RETURN_IF_ERROR(ParseXrefStreamEntries(bounded, static_cast<size_t>(xs->as_int()), hidden, max_entries,
                                             max_decoded, listed_twice));
      for (const auto& [num, e] : hidden) {
        auto it = rev.entries.find(num);
        if (it == rev.entries.end() || !it->second.in_use) {
          rev.entries[num] = e;
        } else if (e.in_use && (e.compressed || e.offset != it->second.offset) && listed_twice.size() < 64) {
          listed_twice.push_back(num);  // the table and the stream disagree
        }
      }
      rev.hybrid = true;
    }
    chain.push_back(std::move(rev));
    twice.push_back(std::move(listed_twice));
    if (prev == nullptr) break;
    if (!prev->is_int() || prev->as_int() < 0 || static_cast<size_t>(prev->as_int()) >= xref) {
      return Structure("/Prev of the section at " + std::to_string(xref) + " does not point backwards");
    }
    xref = static_cast<size_t>(prev->as_int());
  }
  std::reverse(chain.begin(), chain.end());
  std::reverse(twice.begin(), twice.end());
  for (size_t i = 0; i < chain.size(); ++i) {
    Revision& r = chain[i];
    r.start = i == 0 ? 0 : chain[i - 1].end;
    if (i > 0 && r.xref_offset < r.start) {
      return Structure("revision " + std::to_string(i) + " overlaps the revision before it");
    }
    for (const auto& [num, e] : r.entries) {
      if (!e.in_use || e.compressed) continue;
      if (i > 0 && e.offset >= 0 && e.offset < static_cast<int64_t>(r.start)) {
        // An update that points an object back into bytes an earlier revision holds (and a
        // signature covers): content hidden there before signing, revealed after it.
        impl->Note(i, num, "manipulation.object_in_earlier_revision",
                   "revision " + std::to_string(i) + " places object " + std::to_string(num) + " at " +
                       std::to_string(e.offset) + ", inside the bytes of an earlier revision (shadow attack: "
                       "content hidden before signing and revealed after)",
                   "La revisión " + std::to_string(i) + " ubica el objeto " + std::to_string(num) +
                       " dentro de los bytes de una revisión anterior (ataque de sombra: contenido oculto antes "
                       "de firmar y revelado después).");
        continue;
      }
      if (e.offset < static_cast<int64_t>(r.start) || e.offset >= static_cast<int64_t>(r.end)) {
        return Structure("revision " + std::to_string(i) + " places object " + std::to_string(num) +
                         " at " + std::to_string(e.offset) + ", outside its own bytes [" +
                         std::to_string(r.start) + ", " + std::to_string(r.end) + ")");
      }
    }
    // A /Size smaller than the revision before it (an empty update written with /Size 1, as
    // Microsoft's "Print to PDF" saves do) is read: the objects of earlier revisions stay,
    // and Size() answers the largest /Size so far, so no object number is handed out twice.
    // Two entries at one offset: one number is the object there, the other names bytes that
    // are not its own (the shadow attack "hide" swaps an object this way).
    std::map<int64_t, std::vector<int>> at;
    for (const auto& [num, e] : r.entries) {
      if (e.in_use && !e.compressed) at[e.offset].push_back(num);
    }
    size_t shared_notes = 0;
    for (const auto& [offset, nums] : at) {
      if (nums.size() < 2) continue;
      std::string list;
      for (int num : nums) list += (list.empty() ? "" : ", ") + std::to_string(num);
      for (int num : nums) {
        impl->shared_offset.insert({num, i});
        if (shared_notes++ >= 64) continue;
        impl->Note(i, num, "ambiguity.objects_at_one_offset",
                   "revision " + std::to_string(i) + " lists objects " + list + " at one offset (" +
                       std::to_string(offset) + "): only one of them is there",
                   "La revisión " + std::to_string(i) + " ubica los objetos " + list +
                       " en la misma posición: solo uno de ellos está ahí.");
      }
    }
    for (int num : twice[i]) {
      impl->Note(i, num, "ambiguity.object_listed_twice",
                 "object " + std::to_string(num) + " is listed twice in the cross-reference data of revision " +
                     std::to_string(i) + " (readers may take either)",
                 "El objeto " + std::to_string(num) + " aparece dos veces en las referencias cruzadas de la revisión " +
                     std::to_string(i) + ".");
    }
    if (r.linearized) {
      impl->Note(i, 0, "read.linearized", "the original revision is linearized (fast web view)",
                 "La revisión original está linealizada (vista rápida en web).");
    }
    if (r.xref_stream || r.hybrid) {
      impl->Note(i, 0, r.hybrid ? "read.hybrid" : "read.xref_stream",
                 std::string("revision ") + std::to_string(i) +
                     (r.hybrid ? " is a hybrid file (/XRefStm)" : " uses a cross-reference stream"),
                 "La revisión " + std::to_string(i) +
                     (r.hybrid ? " es híbrida (/XRefStm)." : " usa un flujo de referencias cruzadas."));
    }
  }
  // Bytes after the last revision: only whitespace (checked above via %%EOF at the tail),
  // and the last revision must end where the file's content ends.
  if (chain.back().end < tail) return Structure("bytes after the last revision's %%EOF");
  impl->object_starts.resize(chain.size());
  for (size_t r = 0; r < chain.size(); ++r) {
    for (const auto& [num, e] : chain[r].entries) {
      impl->listings.emplace_back(num, r);
      if (e.in_use && !e.compressed) impl->object_starts[r].push_back(static_cast<size_t>(e.offset));
    }
    std::sort(impl->object_starts[r].begin(), impl->object_starts[r].end());
  }
  std::sort(impl->listings.begin(), impl->listings.end());
  impl->revisions = std::move(chain);
  PdfFile file(std::move(impl));
  // Encryption: the /Encrypt of the last trailer (an update may not change it). A null
  // value is no value (ISO 32000-1 §7.3.7: Acrobat writes "/Encrypt null" in
  // cross-reference streams of files that are not encrypted).
  auto encrypt_of = [](const Revision& r) -> const Object* {
    const Object* e = r.trailer.Get("Encrypt");
    return e && e->is_null() ? nullptr : e;
  };
  const Object* enc = encrypt_of(file.impl_->revisions.back());
  for (const Revision& r : file.impl_->revisions) {
    const Object* e = encrypt_of(r);
    if ((e == nullptr) != (enc == nullptr) || (e && *e != *enc)) {
      return Status::Error(ErrorKind::kInvalidArgument, "pdf.encrypted",
                           "the revisions disagree on /Encrypt", "El cifrado del PDF no es válido.");
    }
  }
  if (enc != nullptr) {
    Object dict = *enc;
    if (enc->is_ref()) {
      ASSIGN_OR_RETURN(dict, file.Get(enc->ref(), file.last()));
    }
    if (!dict.is_dict()) return Status::Error(ErrorKind::kInvalidArgument, "pdf.encrypted", "/Encrypt is not a dictionary",
                                              "El cifrado del PDF no es válido.");
    std::string id0;
    if (const Object* id = file.impl_->revisions.back().trailer.Get("ID");
        id && id->is_array() && !id->array().empty() && id->array()[0].is_string()) {
      id0 = id->array()[0].text();
    }
    ASSIGN_OR_RETURN(file.impl_->security, SecurityHandler::Create(dict, id0));
    if (enc->is_ref()) file.impl_->encrypt_ref = enc->ref();
    file.impl_->cache.clear();  // the /Encrypt dictionary was read in clear, as it must be
    file.impl_->Note(0, 0, "read.encrypted",
                     "encrypted (" + file.impl_->security->description() +
                         ") with an empty user password: decrypted to read",
                     "Cifrado (" + file.impl_->security->description() +
                         ") sin contraseña de apertura: se descifró para leerlo.");
  }
  return file;
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
  RETURN_IF_ERROR(Find(ref, rev).status());
  auto it = impl_->cache.find({ref.num, *def});
  if (it == impl_->cache.end() || it->second.end == 0) {
    return Status::Error(ErrorKind::kNotFound, "pdf.no_object",
                         "object " + std::to_string(ref.num) + " has no bytes of its own (free, or in an object stream)");
  }
  return std::make_pair(it->second.begin, it->second.end);
}

bool PdfFile::encrypted() const { return impl_->security != nullptr; }
const std::vector<ReadNote>& PdfFile::notes() const { return impl_->notes; }

Result<Object> PdfFile::Get(Ref ref, size_t rev) const {
  ASSIGN_OR_RETURN(const Object* o, Find(ref, rev));
  return *o;
}

namespace {
const Object kNullObject;
}  // namespace

// Objects are parsed once per (number, defining revision) and kept in `cache`, whose nodes
// never move (std::unordered_map keeps references valid when it rehashes); nothing is erased
// once the file is open (Parse clears it before handing the file out), so pointers into it
// stay valid for the file's life.
Result<const Object*> PdfFile::Find(Ref ref, size_t rev) const {
  auto def = DefiningRevision(ref.num, rev);
  if (!def) return &kNullObject;
  auto key = std::make_pair(ref.num, *def);
  if (auto it = impl_->cache.find(key); it != impl_->cache.end()) {
    // Kept only for an entry in use, under its own generation (checked below when parsed).
    return it->second.ref.gen == ref.gen ? &it->second.value : &kNullObject;
  }
  const XrefEntry& e = impl_->revisions[*def].entries.at(ref.num);
  if (!e.in_use || e.gen != ref.gen) return &kNullObject;
  if (e.compressed) {
    ASSIGN_OR_RETURN(Object value, GetCompressed(ref, e, *def));
    IndirectObject io;
    io.ref = ref;
    io.value = std::move(value);
    return &impl_->cache.emplace(key, std::move(io)).first->second.value;
  }
  const std::vector<size_t>& starts = impl_->object_starts[*def];
  auto next = std::upper_bound(starts.begin(), starts.end(), static_cast<size_t>(e.offset));
  const Revision& defining = impl_->revisions[*def];
  size_t bound = next == starts.end() ? defining.end : *next;
  // A classic table between an object and the next bounds it too.
  if (defining.xref_offset > static_cast<size_t>(e.offset) && defining.xref_offset < bound) bound = defining.xref_offset;
  Parser p(std::string_view(impl_->bytes).substr(0, bound), impl_->limits);
  std::vector<std::string> duplicates;
  p.set_duplicate_key_sink(&duplicates);
  LengthResolver resolve = [this, rev](Ref r) -> std::optional<int64_t> {
    if (impl_->length_depth > 0) return std::nullopt;  // no /Length chains
    ++impl_->length_depth;
    auto o = Find(r, rev);
    --impl_->length_depth;
    if (!o.ok() || !(*o)->is_int()) return std::nullopt;
    return (*o)->as_int();
  };
  std::optional<LengthMismatch> mismatch;
  p.set_length_mismatch_sink(&mismatch);
  auto io = p.ParseIndirect(static_cast<size_t>(e.offset), resolve);
  if (!io.ok()) return io.status().WithContext("object " + std::to_string(ref.num));
  if (!(io->ref == ref) && impl_->shared_offset.count({ref.num, *def})) {
    // Listed at another object's offset (noted when the file was opened): no object of
    // this number is there.
    IndirectObject none;
    none.ref = ref;
    return &impl_->cache.emplace(key, std::move(none)).first->second.value;
  }
  if (!(io->ref == ref)) {
    return Structure("xref entry for object " + std::to_string(ref.num) + " " +
                     std::to_string(ref.gen) + " points at object " + std::to_string(io->ref.num) +
                     " " + std::to_string(io->ref.gen) + " (offset " + std::to_string(e.offset) + ")");
  }
  NoteDuplicates(ref.num, *def, duplicates);
  if (mismatch && impl_->noted_length.insert({ref.num, *def}).second) {
    const std::string num = std::to_string(ref.num);
    impl_->Note(*def, ref.num, "ambiguity.stream_length",
                "object " + num + ": its stream's /Length " + std::to_string(mismatch->declared) +
                    " does not end at 'endstream' (" + std::to_string(mismatch->found) +
                    " bytes before it): read up to 'endstream', not repaired",
                "El flujo del objeto " + num + " declara una longitud (/Length " + std::to_string(mismatch->declared) +
                    ") que no termina en «endstream»: se leyó hasta «endstream», sin reparar el archivo.");
  }
  if (impl_->security && !(impl_->encrypt_ref && *impl_->encrypt_ref == ref)) {
    RETURN_IF_ERROR(impl_->security->Decrypt(ref, io->value));
  }
  return &impl_->cache.emplace(key, std::move(*io)).first->second.value;
}

void PdfFile::NoteDuplicates(int num, size_t rev, const std::vector<std::string>& keys) const {
  if (keys.empty() || !impl_->noted.insert({num, rev}).second) return;
  std::string list;
  for (const auto& k : keys) list += (list.empty() ? "/" : ", /") + k;
  impl_->Note(rev, num, "ambiguity.duplicate_key",
              "object " + std::to_string(num) + " has a dictionary key twice (" + list +
                  "): readers may take either value",
              "El objeto " + std::to_string(num) + " repite una clave de diccionario (" + list +
                  "): cada lector puede tomar un valor distinto.");
}

Result<Object> PdfFile::GetCompressed(Ref ref, const XrefEntry& e, size_t def) const {
  auto bad = [&](const std::string& why) {
    return Status::Error(ErrorKind::kInvalidArgument, "pdf.bad_object_stream",
                         "object " + std::to_string(ref.num) + " in object stream " + std::to_string(e.stream) +
                             ": " + why,
                         "Un flujo de objetos del PDF está dañado.");
  };
  if (ref.gen != 0) return bad("compressed objects have generation 0");
  const auto skey = std::make_pair(e.stream, def);
  auto it = impl_->object_streams.find(skey);
  if (it == impl_->object_streams.end()) {
    // The stream itself must be a plain object visible in the same revision.
    auto sdef = DefiningRevision(e.stream, def);
    if (!sdef) return bad("the object stream is not defined");
    const XrefEntry& se = impl_->revisions[*sdef].entries.at(e.stream);
    if (!se.in_use || se.compressed) return bad("the object stream is not a plain object");
    if (impl_->stream_depth > 0) return bad("an object stream inside an object stream");
    ++impl_->stream_depth;
    auto got = Find({e.stream, se.gen}, def);
    --impl_->stream_depth;
    if (!got.ok()) return got.status();
    const Object& stream = **got;
    const Object* type = stream.Get("Type");
    const Object* n = stream.Get("N");
    const Object* first = stream.Get("First");
    if (!stream.is_stream() || type == nullptr || !type->is_name("ObjStm") || n == nullptr || !n->is_int() ||
        first == nullptr || !first->is_int() || n->as_int() < 0 || n->as_int() > 1000000 || first->as_int() < 0) {
      return bad("not an object stream (/Type /ObjStm with /N and /First)");
    }
    constexpr size_t kMaxObjectStreamBytes = 256u << 20;  // all object streams of a file
    ASSIGN_OR_RETURN(std::string data, DecodeStream(stream, kMaxObjectStreamBytes - impl_->object_stream_bytes));
    impl_->object_stream_bytes += data.size();
    Impl::ObjectStream os;
    Parser header(std::string_view(data).substr(0, std::min<size_t>(data.size(), static_cast<size_t>(first->as_int()))));
    size_t pos = 0;
    for (int64_t i = 0; i < n->as_int(); ++i) {
      header.SkipSpace(pos);
      auto num = header.ReadUnsigned(pos);
      header.SkipSpace(pos);
      auto off = header.ReadUnsigned(pos);
      if (!num || !off || *num < 1 || *num > impl_->limits.max_object_number) return bad("malformed header");
      const size_t at = static_cast<size_t>(first->as_int()) + static_cast<size_t>(*off);
      if (at >= data.size()) return bad("an offset past the stream's end");
      os.objects.emplace_back(static_cast<int>(*num), at);
    }
    os.data = std::move(data);
    // Two objects with one number: the stream holds a number the revision places elsewhere.
    const auto& entries = impl_->revisions[def].entries;
    for (size_t i = 0; i < os.objects.size(); ++i) {
      const int num = os.objects[i].first;
      auto listed = entries.find(num);
      if (listed == entries.end() || !listed->second.in_use) continue;
      const bool here = listed->second.compressed && listed->second.stream == e.stream &&
                        listed->second.index == static_cast<int>(i);
      if (!here && impl_->noted.insert({num, def}).second) {
        impl_->Note(def, num, "ambiguity.object_defined_twice",
                    "object " + std::to_string(num) + " is defined twice in revision " + std::to_string(def) +
                        " (in object stream " + std::to_string(e.stream) + " and elsewhere)",
                    "El objeto " + std::to_string(num) + " está definido dos veces en la revisión " +
                        std::to_string(def) + ".");
      }
    }
    it = impl_->object_streams.emplace(skey, std::move(os)).first;
  }
  const Impl::ObjectStream& os = it->second;
  if (e.index < 0 || static_cast<size_t>(e.index) >= os.objects.size()) return bad("index past /N");
  if (os.objects[e.index].first != ref.num) return bad("the stream holds another object at that index");
  const size_t end = static_cast<size_t>(e.index) + 1 < os.objects.size() ? os.objects[e.index + 1].second : os.data.size();
  if (end < os.objects[e.index].second) return bad("offsets out of order");
  Parser p(std::string_view(os.data).substr(0, end), impl_->limits);
  std::vector<std::string> duplicates;
  p.set_duplicate_key_sink(&duplicates);
  size_t pos = os.objects[e.index].second;
  auto value = p.ParseObject(pos);
  if (!value.ok()) return value.status().WithContext("object " + std::to_string(ref.num));
  NoteDuplicates(ref.num, def, duplicates);
  return std::move(*value);
}

Result<Object> PdfFile::Resolve(const Object& obj, size_t rev) const {
  if (!obj.is_ref()) return obj;
  return Get(obj.ref(), rev);
}

Result<const Object*> PdfFile::Deref(const Object& obj, size_t rev) const {
  if (!obj.is_ref()) return &obj;
  return Find(obj.ref(), rev);
}

Result<Object> PdfFile::Catalog(size_t rev) const {
  ASSIGN_OR_RETURN(const Object* cat, FindCatalog(rev));
  return *cat;
}

Result<const Object*> PdfFile::FindCatalog(size_t rev) const {
  const Object* root = impl_->revisions[rev].trailer.Get("Root");
  if (root == nullptr || !root->is_ref()) return Structure("trailer has no /Root reference");
  ASSIGN_OR_RETURN(const Object* cat, Find(root->ref(), rev));
  if (!cat->is_dict()) return Structure("/Root is not a dictionary");
  return cat;
}

int PdfFile::Size(size_t rev) const {
  int64_t size = 0;
  for (size_t r = 0; r <= rev; ++r) size = std::max(size, impl_->revisions[r].trailer.Get("Size")->as_int());
  return static_cast<int>(size);
}

}  // namespace rubrica::pdf::cos
