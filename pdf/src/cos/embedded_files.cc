#include "rubrica/pdf/cos/embedded_files.h"

#include <set>

namespace rubrica::pdf::cos {

namespace {

Status Bad(const std::string& what) {
  return Status::Error(ErrorKind::kInvalidArgument, "pdf.bad_embedded_file", what,
                       "Un archivo adjunto del PDF está dañado.");
}

// Searches a name-tree node for `name`; returns the filespec object. `visited` holds the
// nodes seen so far: a tree lists each node once, and a node listed again (however often)
// is refused rather than searched again, which would be exponential in the depth.
Result<std::optional<Object>> Search(const PdfFile& f, size_t rev, const Object& node,
                                     const std::string& name, int depth, std::set<int>& visited) {
  if (depth > 16) return Bad("name tree too deep");
  if (const Object* names = node.Get("Names")) {
    ASSIGN_OR_RETURN(Object arr, f.Resolve(*names, rev));
    if (!arr.is_array()) return Bad("/Names is not an array");
    for (size_t i = 0; i + 1 < arr.array().size(); i += 2) {
      const Object& key = arr.array()[i];
      if (key.is_string() && Utf8FromTextString(key.text()) == name) {
        ASSIGN_OR_RETURN(Object spec, f.Resolve(arr.array()[i + 1], rev));
        return std::optional<Object>(spec);
      }
    }
  }
  if (const Object* kids = node.Get("Kids")) {
    ASSIGN_OR_RETURN(Object arr, f.Resolve(*kids, rev));
    if (!arr.is_array()) return Bad("/Kids is not an array");
    for (const Object& kid : arr.array()) {
      if (kid.is_ref() && !visited.insert(kid.ref().num).second) {
        return Bad("name tree node " + std::to_string(kid.ref().num) + " is listed twice");
      }
      ASSIGN_OR_RETURN(Object k, f.Resolve(kid, rev));
      ASSIGN_OR_RETURN(auto found, Search(f, rev, k, name, depth + 1, visited));
      if (found) return found;
    }
  }
  return std::optional<Object>();
}

}  // namespace

Result<std::optional<std::string>> ReadEmbeddedFile(const PdfFile& file, size_t rev,
                                                    const std::string& name, size_t max_bytes) {
  ASSIGN_OR_RETURN(Object cat, file.Catalog(rev));
  const Object* names = cat.Get("Names");
  if (names == nullptr) return std::optional<std::string>();
  ASSIGN_OR_RETURN(Object nd, file.Resolve(*names, rev));
  const Object* ef = nd.Get("EmbeddedFiles");
  if (ef == nullptr) return std::optional<std::string>();
  ASSIGN_OR_RETURN(Object tree, file.Resolve(*ef, rev));
  std::set<int> visited;
  if (ef->is_ref()) visited.insert(ef->ref().num);
  ASSIGN_OR_RETURN(auto spec, Search(file, rev, tree, name, 0, visited));
  if (!spec) return std::optional<std::string>();
  const Object* efd = spec->Get("EF");
  if (efd == nullptr) return Bad("filespec of '" + name + "' has no /EF");
  ASSIGN_OR_RETURN(Object efo, file.Resolve(*efd, rev));
  const Object* stream_ref = efo.Get("F");
  if (stream_ref == nullptr) stream_ref = efo.Get("UF");
  if (stream_ref == nullptr) return Bad("filespec of '" + name + "' has no /EF /F");
  ASSIGN_OR_RETURN(Object stream, file.Resolve(*stream_ref, rev));
  if (!stream.is_stream()) return Bad("embedded file '" + name + "' is not a stream");
  ASSIGN_OR_RETURN(std::string data, DecodeStream(stream, max_bytes));
  return std::optional<std::string>(std::move(data));
}

}  // namespace rubrica::pdf::cos
