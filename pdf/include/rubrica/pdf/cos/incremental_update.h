// Writes an incremental update (ISO 32000-1 §7.5.6): new and replaced objects appended to
// the unchanged bytes of the file, with a classic xref section for exactly those objects
// and a trailer whose /Prev points at the previous xref. The original bytes are never
// touched, so earlier signatures stay valid.
//
// Thread-compatible. Holds a reference to the base PdfFile, which must outlive it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/pdf/cos/object.h"
#include "rubrica/pdf/cos/pdf_file.h"

namespace rubrica::pdf::cos {

class IncrementalUpdate {
 public:
  explicit IncrementalUpdate(const PdfFile& base);

  /// Adds a new object; returns its reference (numbers continue from the base's /Size).
  Ref Add(Object obj);
  /// Replaces the object `ref` with a new version in this update.
  void Replace(Ref ref, Object obj);

  struct Written {
    std::string bytes;                       // the whole new file
    std::map<int, std::pair<size_t, size_t>> spans;  // object number -> [begin, end) in bytes
  };
  /// The base bytes followed by this update. `id1` becomes the second /ID element (the first
  /// is kept from the base).
  Result<Written> Write(std::string_view id1) const;

 private:
  const PdfFile& base_;
  int next_num_;
  std::map<int, std::pair<Ref, Object>> objects_;  // ordered by number for a compact xref
};

}  // namespace rubrica::pdf::cos
