// A PDF file read as its sequence of revisions (the original and each incremental update),
// without PoDoFo and without repairing anything.
//
// Open() reads only the cross-reference sections and trailers (fast: it does not parse the
// objects); objects are parsed on demand, as of any revision. Supported: classic
// cross-reference tables (`xref`, what Rúbrica writes), cross-reference streams (ISO 32000-1
// §7.5.8) with objects in object streams (§7.5.7), hybrid files (/XRefStm), linearized files
// (Annex F: the first-page section's /Prev points forward to the main one, and both make up
// the original revision) and files encrypted with an empty user password (decrypted as they
// are read, never written). A file that needs a password gives pdf.encrypted.
//
// Structural rules checked by Open (each violation is pdf.revision_structure with offsets):
//  - the file starts with %PDF-1.x and ends with %%EOF (only whitespace after it);
//  - every revision is a cross-reference section followed by `startxref` N `%%EOF`, N
//    pointing at its own section; /Prev chains strictly backwards and names the previous
//    revision (except inside a linearized original);
//  - objects listed in revision i lie inside revision i's bytes.
// What is ambiguous rather than broken (an object listed twice in one section, a hybrid
// file whose table and stream disagree, an object defined twice, a dictionary with a key
// twice) is read (the first definition wins) and recorded in notes() for the revision
// analysis to name.
//
// Thread-compatible: const methods may fill an internal cache, so one PdfFile must not be
// used from several threads at once.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/pdf/cos/object.h"
#include "rubrica/pdf/cos/parser.h"

namespace rubrica::pdf::cos {

struct XrefEntry {
  int64_t offset = 0;  // for free entries: next free object number
  int gen = 0;
  bool in_use = false;  // in use: at `offset`, or compressed in an object stream
  /// In use inside object stream `stream` at `index` (cross-reference streams only).
  bool compressed = false;
  int stream = 0;
  int index = 0;
};

/// How a file was read, or an ambiguity found while reading it.
struct ReadNote {
  size_t revision = 0;
  int object = 0;          // 0: the revision as a whole
  std::string code;        // "read.linearized", "ambiguity.duplicate_key", ...
  std::string message;     // English
  std::string message_es;  // Spanish
};

struct Revision {
  size_t start = 0;        // first byte of this revision (0, or the end of the previous one)
  size_t xref_offset = 0;  // offset of its `xref` keyword
  size_t end = 0;          // just past its %%EOF and end-of-line
  Object trailer;
  std::map<int, XrefEntry> entries;  // object number -> entry, as listed in this section
  /// True when this revision uses a cross-reference stream (`trailer` is then the stream's
  /// dictionary); hybrid: a classic table with /XRefStm.
  bool xref_stream = false;
  bool hybrid = false;
  /// The original revision of a linearized file (two sections: first page, then main).
  bool linearized = false;
};

class PdfFile {
 public:
  static Result<PdfFile> Open(std::string bytes, ParseLimits limits = {});
  /// Like Open, without copying: `bytes` must outlive the PdfFile.
  static Result<PdfFile> OpenView(std::string_view bytes, ParseLimits limits = {});

  PdfFile(PdfFile&&) noexcept;
  PdfFile& operator=(PdfFile&&) noexcept;
  ~PdfFile();

  std::string_view bytes() const;
  /// Oldest first. Never empty.
  const std::vector<Revision>& revisions() const;
  size_t last() const { return revisions().size() - 1; }

  /// The object `ref` as visible in revision `rev` (defined there or in an earlier one).
  /// A free or never-defined object is null (ISO 32000: a reference to it means null).
  Result<Object> Get(Ref ref, size_t rev) const;
  Result<Object> GetLatest(Ref ref) const { return Get(ref, last()); }
  /// Like Get, without copying: the object as this file keeps it once parsed, valid (and
  /// unchanged) as long as the PdfFile lives. Readers that walk many objects (the form's
  /// fields, every object of every revision) use it rather than copy each one.
  Result<const Object*> Find(Ref ref, size_t rev) const;
  /// Follows `obj` when it is a reference (one level); returns it unchanged otherwise.
  Result<Object> Resolve(const Object& obj, size_t rev) const;
  /// Like Resolve, without copying: `&obj` itself when it is not a reference (so `obj`
  /// must outlive the answer), else Find.
  Result<const Object*> Deref(const Object& obj, size_t rev) const;
  /// The revision whose section defines the version of object `num` visible in `rev`
  /// (nullopt when no revision up to `rev` lists it).
  std::optional<size_t> DefiningRevision(int num, size_t rev) const;
  /// Byte span [begin, end) of the definition of `ref` as visible in `rev`.
  Result<std::pair<size_t, size_t>> Span(Ref ref, size_t rev) const;

  /// The trailer's /Root, as of `rev`.
  Result<Object> Catalog(size_t rev) const;
  /// Like Catalog, without copying (as Find).
  Result<const Object*> FindCatalog(size_t rev) const;
  /// The largest trailer /Size of revisions 0..`rev` (a later /Size may be smaller).
  int Size(size_t rev) const;
  const ParseLimits& limits() const;
  /// True when the file is encrypted (and was opened with the empty user password).
  bool encrypted() const;
  /// How the file was read, and the ambiguities met so far (objects are parsed on demand:
  /// read every object first to have them all).
  const std::vector<ReadNote>& notes() const;

  /// How many times Open or OpenView ran in this process: a counter for tests that prove a
  /// road parses each PDF once (e.g. one signature).
  static uint64_t OpenedSoFar();

 private:
  struct Impl;
  explicit PdfFile(std::unique_ptr<Impl> impl);
  static Result<PdfFile> Parse(std::unique_ptr<Impl> impl, ParseLimits limits);
  Result<Object> GetCompressed(Ref ref, const XrefEntry& e, size_t def) const;
  void NoteDuplicates(int num, size_t rev, const std::vector<std::string>& keys) const;
  std::unique_ptr<Impl> impl_;
};

/// Inflates a FlateDecode stream, refusing output larger than `max_output` (a
/// decompression bomb gives pdf.stream_too_large) and corrupt data (pdf.bad_stream).
Result<std::string> Inflate(std::string_view compressed, size_t max_output);
/// The decoded size of a stream, checking that it decodes, without keeping the data for
/// plain FlateDecode (same errors as DecodeStream).
Result<size_t> DecodedSize(const Object& stream, size_t max_output);
/// Decodes a stream object's data per its /Filter (none or /FlateDecode, with or without a
/// PNG predictor in /DecodeParms; others give pdf.unsupported_filter), bounded by
/// `max_output`.
Result<std::string> DecodeStream(const Object& stream, size_t max_output);

}  // namespace rubrica::pdf::cos
