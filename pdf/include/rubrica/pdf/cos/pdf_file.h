// A PDF file read as its sequence of revisions (the original and each incremental update),
// without PoDoFo and without repairing anything.
//
// Open() reads only the cross-reference sections and trailers (fast: it does not parse the
// objects); objects are parsed on demand, as of any revision. Supported: classic
// cross-reference tables (`xref`), which is what Rúbrica writes. Cross-reference streams,
// hybrid files and encryption are refused with their own codes (a later revision switching
// to a cross-reference stream is kept, flagged, for the verifier to name), so a verifier reports them
// as "could not be processed" rather than guessing.
//
// Structural rules checked by Open (each violation is pdf.revision_structure with offsets):
//  - the file starts with %PDF-1.x and ends with %%EOF (only whitespace after it);
//  - every revision is `xref` ... `trailer` <<...>> `startxref` N `%%EOF`, N pointing at its
//    own `xref`; /Prev chains strictly backwards and names the previous revision;
//  - objects listed in revision i lie between the end of revision i-1 and revision i's xref.
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
  bool in_use = false;
};

struct Revision {
  size_t start = 0;        // first byte of this revision (0, or the end of the previous one)
  size_t xref_offset = 0;  // offset of its `xref` keyword
  size_t end = 0;          // just past its %%EOF and end-of-line
  Object trailer;
  std::map<int, XrefEntry> entries;  // object number -> entry, as listed in this section
  /// True when this (non-first) revision uses a cross-reference stream: its objects are not
  /// read (`entries` is empty, `trailer` is the stream's dictionary) and the verifier reports
  /// it as a forbidden change. A first revision with one is refused by Open.
  bool xref_stream = false;
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
  /// Follows `obj` when it is a reference (one level); returns it unchanged otherwise.
  Result<Object> Resolve(const Object& obj, size_t rev) const;
  /// The revision whose section defines the version of object `num` visible in `rev`
  /// (nullopt when no revision up to `rev` lists it).
  std::optional<size_t> DefiningRevision(int num, size_t rev) const;
  /// Byte span [begin, end) of the definition of `ref` as visible in `rev`.
  Result<std::pair<size_t, size_t>> Span(Ref ref, size_t rev) const;

  /// The trailer's /Root, as of `rev`.
  Result<Object> Catalog(size_t rev) const;
  /// The trailer's /Size, as of `rev`.
  int Size(size_t rev) const;
  const ParseLimits& limits() const;

  /// How many times Open or OpenView ran in this process: a counter for tests that prove a
  /// road parses each PDF once (e.g. one signature).
  static uint64_t OpenedSoFar();

 private:
  struct Impl;
  explicit PdfFile(std::unique_ptr<Impl> impl);
  static Result<PdfFile> Parse(std::unique_ptr<Impl> impl, ParseLimits limits);
  std::unique_ptr<Impl> impl_;
};

/// Inflates a FlateDecode stream, refusing output larger than `max_output` (a
/// decompression bomb gives pdf.stream_too_large) and corrupt data (pdf.bad_stream).
Result<std::string> Inflate(std::string_view compressed, size_t max_output);
/// Decodes a stream object's data per its /Filter (none or /FlateDecode only; others give
/// pdf.unsupported_filter), bounded by `max_output`.
Result<std::string> DecodeStream(const Object& stream, size_t max_output);

}  // namespace rubrica::pdf::cos
