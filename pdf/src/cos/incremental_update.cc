#include "rubrica/pdf/cos/incremental_update.h"

#include <cstdio>

namespace rubrica::pdf::cos {

IncrementalUpdate::IncrementalUpdate(const PdfFile& base)
    : base_(base), next_num_(base.Size(base.last())) {}

Ref IncrementalUpdate::Add(Object obj) {
  Ref r{next_num_++, 0};
  objects_[r.num] = {r, std::move(obj)};
  return r;
}

void IncrementalUpdate::Replace(Ref ref, Object obj) { objects_[ref.num] = {ref, std::move(obj)}; }

Result<IncrementalUpdate::Written> IncrementalUpdate::Write(std::string_view id1) const {
  if (base_.encrypted()) {
    // Objects appended in clear to an encrypted file would be read as garbage.
    return Status::Error(ErrorKind::kInvalidArgument, "pdf.encrypted",
                         "cannot append a revision to an encrypted PDF",
                         "No se puede firmar un PDF cifrado.");
  }
  const Revision& last = base_.revisions().back();
  Written w;
  size_t update_size = 1024;
  for (const auto& [num, entry] : objects_) {
    update_size += 64 + (entry.second.is_stream() ? entry.second.stream_data().size() : 0) + 512;
  }
  w.bytes.reserve(last.end + update_size);
  w.bytes.assign(base_.bytes().data(), last.end);
  if (w.bytes.empty() || w.bytes.back() != '\n') w.bytes.push_back('\n');
  std::map<int, size_t> offsets;
  for (const auto& [num, entry] : objects_) {
    const auto& [ref, obj] = entry;
    size_t begin = w.bytes.size();
    offsets[num] = begin;
    w.bytes += std::to_string(ref.num) + " " + std::to_string(ref.gen) + " obj\n";
    Serialize(obj, w.bytes);
    w.bytes += "\nendobj\n";
    w.spans[num] = {begin, w.bytes.size() - 1};
  }
  const size_t xref_offset = w.bytes.size();
  w.bytes += "xref\n";
  // Subsections of consecutive numbers.
  for (auto it = objects_.begin(); it != objects_.end();) {
    auto run_end = it;
    int first = it->first, count = 0;
    while (run_end != objects_.end() && run_end->first == first + count) {
      ++run_end;
      ++count;
    }
    w.bytes += std::to_string(first) + " " + std::to_string(count) + "\n";
    for (; it != run_end; ++it) {
      char line[32];
      std::snprintf(line, sizeof line, "%010zu %05d n\r\n", offsets[it->first], it->second.first.gen);
      w.bytes += line;
    }
  }
  Object trailer = Object::MakeDict();
  trailer.Set("Size", Object::Int(std::max(next_num_, base_.Size(base_.last()))));
  if (const Object* root = last.trailer.Get("Root")) trailer.Set("Root", *root);
  if (const Object* info = last.trailer.Get("Info")) trailer.Set("Info", *info);
  trailer.Set("Prev", Object::Int(static_cast<int64_t>(last.xref_offset)));
  std::string id0(id1);
  if (const Object* id = last.trailer.Get("ID"); id && id->is_array() && !id->array().empty() &&
                                                 id->array()[0].is_string()) {
    id0 = id->array()[0].text();
  }
  trailer.Set("ID", Object::MakeArray({Object::String(id0, true), Object::String(std::string(id1), true)}));
  w.bytes += "trailer\n";
  Serialize(trailer, w.bytes);
  w.bytes += "\nstartxref\n" + std::to_string(xref_offset) + "\n%%EOF\n";
  return w;
}

}  // namespace rubrica::pdf::cos
