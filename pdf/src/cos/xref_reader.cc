#include "xref_reader.h"

namespace rubrica::pdf::cos {

Status RevisionStructureError(const std::string& what) {
  return Status::Error(ErrorKind::kInvalidArgument, "pdf.revision_structure", what,
                       "La estructura de revisiones del PDF no es válida.");
}

namespace {

Status ParseClassic(const Parser& p, size_t offset, Revision& rev, size_t& after, size_t max_entries,
                    std::vector<int>& listed_twice) {
  std::string_view d = p.data();
  size_t pos = offset + 4;
  size_t total = 0;
  for (;;) {
    p.SkipSpace(pos);
    if (p.AtKeyword(pos, "trailer")) break;
    auto first = p.ReadUnsigned(pos);
    if (!first) return RevisionStructureError("bad xref subsection header at offset " + std::to_string(pos));
    size_t sp = pos;
    while (pos < d.size() && d[pos] == ' ') ++pos;
    if (pos == sp) return RevisionStructureError("bad xref subsection header at offset " + std::to_string(pos));
    auto count = p.ReadUnsigned(pos);
    if (!count) return RevisionStructureError("bad xref subsection count at offset " + std::to_string(pos));
    total += static_cast<size_t>(*count);
    // *first is checked on its own first: *first + *count may not fit in 64 bits.
    if (total > max_entries || static_cast<size_t>(*first) > max_entries ||
        static_cast<size_t>(*first + *count) > max_entries + 1) {
      return RevisionStructureError("xref section too large at offset " + std::to_string(offset));
    }
    while (pos < d.size() && (d[pos] == ' ')) ++pos;
    if (pos < d.size() && d[pos] == '\r') ++pos;
    if (pos < d.size() && d[pos] == '\n') ++pos;
    for (int64_t i = 0; i < *count; ++i) {
      if (pos + 20 > d.size()) return RevisionStructureError("truncated xref entry at offset " + std::to_string(pos));
      std::string_view e = d.substr(pos, 20);
      bool ok = e[10] == ' ' && e[16] == ' ' && (e[17] == 'n' || e[17] == 'f') &&
                ((e[18] == ' ' && (e[19] == '\n' || e[19] == '\r')) || (e[18] == '\r' && e[19] == '\n'));
      for (int k = 0; k < 10 && ok; ++k) ok = e[k] >= '0' && e[k] <= '9';
      for (int k = 11; k < 16 && ok; ++k) ok = e[k] >= '0' && e[k] <= '9';
      if (!ok) return RevisionStructureError("malformed xref entry at offset " + std::to_string(pos));
      XrefEntry entry;
      entry.offset = std::stoll(std::string(e.substr(0, 10)));
      entry.gen = std::stoi(std::string(e.substr(11, 5)));
      entry.in_use = e[17] == 'n';
      int num = static_cast<int>(*first + i);
      if (!rev.entries.emplace(num, entry).second && listed_twice.size() < 64) listed_twice.push_back(num);
      pos += 20;
    }
  }
  pos += 7;
  auto trailer = p.ParseObject(pos);
  if (!trailer.ok()) return trailer.status().WithContext("trailer");
  if (trailer->type() != Object::Type::kDict) return RevisionStructureError("trailer is not a dictionary");
  rev.trailer = std::move(*trailer);
  after = pos;
  return Status::Ok();
}

int64_t Field(std::string_view row, size_t at, int width) {
  int64_t v = 0;
  for (int i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(row[at + i]);
  return v;
}

Status ReadStreamEntries(const Object& xs, std::map<int, XrefEntry>& entries, size_t max_entries,
                         size_t max_decoded, std::vector<int>& listed_twice, size_t offset) {
  auto bad = [&](const std::string& why) {
    return RevisionStructureError("cross-reference stream at " + std::to_string(offset) + ": " + why);
  };
  const Object* w = xs.Get("W");
  const Object* size = xs.Get("Size");
  if (w == nullptr || !w->is_array() || w->array().size() != 3) return bad("/W is not an array of three");
  int widths[3];
  for (int i = 0; i < 3; ++i) {
    const Object& x = w->array()[i];
    if (!x.is_int() || x.as_int() < 0 || x.as_int() > 8) return bad("/W entries must be 0 to 8");
    widths[i] = static_cast<int>(x.as_int());
  }
  if (size == nullptr || !size->is_int() || size->as_int() < 0 || static_cast<size_t>(size->as_int()) > max_entries + 1) {
    return bad("/Size is missing or out of range");
  }
  std::vector<std::pair<int64_t, int64_t>> ranges;
  if (const Object* index = xs.Get("Index")) {
    if (!index->is_array() || index->array().size() % 2 != 0) return bad("/Index is not pairs of integers");
    for (size_t i = 0; i < index->array().size(); i += 2) {
      const Object& a = index->array()[i];
      const Object& b = index->array()[i + 1];
      if (!a.is_int() || !b.is_int() || a.as_int() < 0 || b.as_int() < 0 ||
          static_cast<size_t>(a.as_int()) > max_entries || static_cast<size_t>(b.as_int()) > max_entries ||
          static_cast<size_t>(a.as_int() + b.as_int()) > max_entries + 1) {
        return bad("/Index out of range");
      }
      ranges.emplace_back(a.as_int(), b.as_int());
    }
  } else {
    ranges.emplace_back(0, size->as_int());
  }
  ASSIGN_OR_RETURN(std::string data, DecodeStream(xs, max_decoded));
  const size_t row = static_cast<size_t>(widths[0] + widths[1] + widths[2]);
  if (row == 0) return bad("/W gives empty rows");
  size_t pos = 0, total = 0;
  for (const auto& [first, count] : ranges) {
    total += static_cast<size_t>(count);
    if (total > max_entries) return bad("too many entries");
    for (int64_t i = 0; i < count; ++i) {
      if (pos + row > data.size()) return bad("data shorter than /Index and /W require");
      std::string_view r(data.data() + pos, row);
      pos += row;
      const int64_t type = widths[0] == 0 ? 1 : Field(r, 0, widths[0]);
      const int64_t f2 = Field(r, static_cast<size_t>(widths[0]), widths[1]);
      const int64_t f3 = Field(r, static_cast<size_t>(widths[0] + widths[1]), widths[2]);
      XrefEntry e;
      if (type == 0) {
        e.offset = f2;
        e.gen = static_cast<int>(std::min<int64_t>(f3, 65535));
      } else if (type == 1) {
        e.in_use = true;
        e.offset = f2;
        e.gen = static_cast<int>(std::min<int64_t>(f3, 65535));
      } else if (type == 2) {
        e.in_use = true;
        e.compressed = true;
        if (f2 < 1 || f2 > static_cast<int64_t>(max_entries) || f3 > 8388607) return bad("bad compressed entry");
        e.stream = static_cast<int>(f2);
        e.index = static_cast<int>(f3);
      } else {
        continue;  // ISO 32000-1 §7.5.8.3: unknown types are references to null
      }
      const int num = static_cast<int>(first + i);
      if (!entries.emplace(num, e).second && listed_twice.size() < 64) listed_twice.push_back(num);
    }
  }
  return Status::Ok();
}

}  // namespace

Status ParseXrefStreamEntries(const Parser& p, size_t offset, std::map<int, XrefEntry>& entries,
                              size_t max_entries, size_t max_decoded, std::vector<int>& listed_twice) {
  ASSIGN_OR_RETURN(IndirectObject obj, p.ParseIndirect(offset));
  const Object* type = obj.value.Get("Type");
  if (!obj.value.is_stream() || type == nullptr || !type->is_name("XRef")) {
    return RevisionStructureError("no cross-reference stream at offset " + std::to_string(offset));
  }
  return ReadStreamEntries(obj.value, entries, max_entries, max_decoded, listed_twice, offset);
}

Status ParseXrefSection(const Parser& p, size_t offset, Revision& rev, size_t& after, size_t max_entries,
                        size_t max_decoded, std::vector<int>& listed_twice) {
  if (offset >= p.data().size()) {
    return RevisionStructureError("startxref/Prev " + std::to_string(offset) + " is past the end of the file");
  }
  if (p.AtKeyword(offset, "xref")) return ParseClassic(p, offset, rev, after, max_entries, listed_twice);
  auto obj = p.ParseIndirect(offset);
  if (!obj.ok() || !obj->value.is_stream() || obj->value.Get("Type") == nullptr ||
      !obj->value.Get("Type")->is_name("XRef")) {
    return RevisionStructureError("no 'xref' keyword or cross-reference stream at offset " + std::to_string(offset));
  }
  rev.xref_stream = true;
  RETURN_IF_ERROR(ReadStreamEntries(obj->value, rev.entries, max_entries, max_decoded, listed_twice, offset));
  rev.trailer = Object::MakeDict(obj->value.dict());
  after = obj->end;
  return Status::Ok();
}

}  // namespace rubrica::pdf::cos
