#include "fuzz/hostile_pdfs.h"

#include <zlib.h>

#include <cstdio>

namespace rubrica::fuzz_testing {

namespace {

std::string XrefLine(size_t offset) {
  char line[24];
  std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
  return line;
}

std::string Tail(size_t xref, size_t size, const std::string& extra) {
  return "trailer\n<</Size " + std::to_string(size) + " /Root 1 0 R" + extra + ">>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
}

// The first three objects of every hostile file: catalog, empty page tree, form.
std::vector<std::string> Skeleton(const std::string& catalog_extra = "", const std::string& fields = "") {
  return {"<</Type/Catalog/Pages 2 0 R/AcroForm 3 0 R" + catalog_extra + ">>",
          "<</Type/Pages/Kids[]/Count 0>>", "<</Fields[" + fields + "]>>"};
}

std::string Refs(int first, int count, int repeat = 1) {
  std::string s;
  for (int i = 0; i < count; ++i) {
    for (int k = 0; k < repeat; ++k) s += std::to_string(first + i) + " 0 R ";
  }
  return s;
}

// Objects 1..n at `offsets` of `body` (a header and the objects), then xref and trailer.
std::string Finish(std::string body, const std::vector<size_t>& offsets) {
  const size_t xref = body.size();
  body += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) body += XrefLine(off);
  return body + Tail(xref, offsets.size() + 1, "");
}

std::string Objects(const std::vector<std::string>& objects, std::vector<size_t>& offsets) {
  std::string out = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  return out;
}

}  // namespace

std::string RawPdf(const std::vector<std::string>& objects) {
  std::vector<size_t> offsets;
  std::string body = Objects(objects, offsets);
  return Finish(std::move(body), offsets);
}

std::string AppendRevision(std::string out, const std::vector<std::pair<int, std::string>>& objects) {
  const size_t prev = out.rfind("startxref\n");
  const std::string prev_xref = out.substr(prev + 10, out.find('\n', prev + 10) - prev - 10);
  int size = std::stoi(out.substr(out.rfind("/Size ") + 6, 12));
  std::string xref_lines = "xref\n0 1\n0000000000 65535 f \n";
  for (const auto& [num, body] : objects) {
    xref_lines += std::to_string(num) + " 1\n" + XrefLine(out.size());
    out += std::to_string(num) + " 0 obj\n" + body + "\nendobj\n";
    if (num >= size) size = num + 1;
  }
  const size_t xref = out.size();
  out += xref_lines;
  out += Tail(xref, static_cast<size_t>(size), " /Prev " + prev_xref);
  return out;
}

std::string DeeplyNested(int depth) {
  std::vector<std::string> objs = Skeleton();
  objs.push_back(std::string(static_cast<size_t>(depth), '[') + std::string(static_cast<size_t>(depth), ']'));
  return RawPdf(objs);
}

std::string NameTreeFanOut(int fanout, int levels) {
  std::vector<std::string> objs = Skeleton("/Names 4 0 R");
  objs.push_back("<</EmbeddedFiles 5 0 R>>");
  for (int level = 0; level < levels; ++level) {
    const int num = 5 + level;
    objs.push_back(level + 1 < levels ? "<</Kids[" + Refs(num + 1, 1, fanout) + "]>>"
                                      : "<</Names[(otro.txt) 1 0 R]>>");
  }
  return RawPdf(objs);
}

std::string FieldCycle() {
  std::vector<std::string> objs = Skeleton("", "4 0 R");
  objs.push_back("<</T(a)/FT/Sig/Kids[5 0 R]>>");
  objs.push_back("<</T(b)/Parent 4 0 R/Kids[4 0 R]>>");
  return RawPdf(objs);
}

std::string DecompressionBomb(uint64_t inflated_bytes) {
  // One MiB of zeros deflated on its own (raw, full flush) is a self-contained run of
  // blocks; repeating it inflates to any multiple of a MiB without compressing it all.
  const std::string zeros(1u << 20, '\0');
  z_stream zs{};
  deflateInit2(&zs, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
  std::string chunk(deflateBound(&zs, zeros.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
  zs.avail_in = static_cast<uInt>(zeros.size());
  zs.next_out = reinterpret_cast<Bytef*>(chunk.data());
  zs.avail_out = static_cast<uInt>(chunk.size());
  deflate(&zs, Z_FULL_FLUSH);
  chunk.resize(chunk.size() - zs.avail_out);
  std::string end(16, '\0');
  zs.next_out = reinterpret_cast<Bytef*>(end.data());
  zs.avail_out = static_cast<uInt>(end.size());
  deflate(&zs, Z_FINISH);
  end.resize(end.size() - zs.avail_out);
  deflateEnd(&zs);

  const uint64_t chunks = inflated_bytes >> 20;
  const uLong chunk_adler = adler32(adler32(0, nullptr, 0), reinterpret_cast<const Bytef*>(zeros.data()),
                                    static_cast<uInt>(zeros.size()));
  uLong adler = adler32(0, nullptr, 0);
  std::string data = "\x78\xda";  // zlib header: deflate, 32 KiB window, best compression
  data.reserve(2 + chunks * chunk.size() + end.size() + 4);
  for (uint64_t i = 0; i < chunks; ++i) {
    data += chunk;
    adler = adler32_combine(adler, chunk_adler, static_cast<z_off_t>(zeros.size()));
  }
  data += end;
  for (int shift = 24; shift >= 0; shift -= 8) data.push_back(static_cast<char>((adler >> shift) & 0xff));

  std::vector<std::string> objs = Skeleton();
  objs.push_back("<</Length " + std::to_string(data.size()) + "/Filter/FlateDecode>>\nstream\n" + data +
                 "\nendstream");
  return RawPdf(objs);
}

std::string ManyKeysDictionary(int keys) {
  std::string dict = "<<";
  for (int i = 0; i < keys; ++i) dict += "/K" + std::to_string(i) + " " + std::to_string(i) + "\n";
  std::vector<std::string> objs = Skeleton();
  objs.push_back(dict + ">>");
  return RawPdf(objs);
}

std::string ManyRevisions(int revisions, int fields) {
  std::vector<std::string> objs = Skeleton("", Refs(4, fields));
  for (int i = 0; i < fields; ++i) objs.push_back("<</FT/Sig/T(firma_" + std::to_string(i) + ")>>");
  std::string pdf = RawPdf(objs);
  for (int r = 0; r < revisions; ++r) pdf = AppendRevision(std::move(pdf), {{2, "<</Type/Pages/Kids[]/Count 0>>"}});
  return pdf;
}

std::string NestedObjects(int levels, size_t filler) {
  // Object 4 is "(5 0 obj\n(6 0 obj\n( ... filler ... )\nendobj)\nendobj)": each xref entry
  // points inside the string of the object before it.
  std::string body(filler, 'x');
  for (int level = levels - 1; level >= 1; --level) {
    body = std::to_string(4 + level) + " 0 obj\n(" + body + ")\nendobj";
  }
  std::vector<std::string> objs = Skeleton();
  objs.push_back("(" + body + ")");
  std::vector<size_t> offsets;
  std::string out = Objects(objs, offsets);
  for (int level = 1; level < levels; ++level) {
    offsets.push_back(out.find(std::to_string(4 + level) + " 0 obj\n(", offsets.back() + 1));
  }
  return Finish(std::move(out), offsets);
}

std::string ManySignaturesOneRevision(int signatures, size_t tail_bytes) {
  // Fields 4.. in revision 0, each with /V pointing at a signature dictionary that only
  // revision 1 defines.
  const int first_sig = 4 + signatures;
  std::vector<std::string> objs = Skeleton("", Refs(4, signatures));
  for (int i = 0; i < signatures; ++i) {
    objs.push_back("<</FT/Sig/T(firma_" + std::to_string(i) + ")/V " + std::to_string(first_sig + i) + " 0 R>>");
  }
  std::string pdf = RawPdf(objs);
  const size_t prev = pdf.rfind("xref\n0 ");
  // Revision 1: the dictionaries with fixed-width /ByteRange numbers (filled in once the
  // revision's end is known), then the tail every signature covers.
  const std::string placeholder = "[0000000000 0000000000 0000000000 0000000000]";
  std::vector<std::pair<size_t, size_t>> holes;  // per signature: /ByteRange value, '<' of /Contents
  std::string xref = "xref\n0 1\n0000000000 65535 f \n" + std::to_string(first_sig) + " " +
                     std::to_string(signatures + 1) + "\n";
  for (int i = 0; i < signatures; ++i) {
    xref += XrefLine(pdf.size());
    pdf += std::to_string(first_sig + i) + " 0 obj\n<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/ByteRange ";
    const size_t range_at = pdf.size();
    pdf += placeholder + "/Contents ";
    holes.emplace_back(range_at, pdf.size());
    pdf += "<" + std::string(64, '0') + ">>>\nendobj\n";
  }
  xref += XrefLine(pdf.size());
  pdf += std::to_string(first_sig + signatures) + " 0 obj\n<</Length " + std::to_string(tail_bytes) +
         "/Filter/DCTDecode>>\nstream\n" + std::string(tail_bytes, 't') + "\nendstream\nendobj\n";
  const size_t xref_at = pdf.size();
  pdf += xref + Tail(xref_at, static_cast<size_t>(first_sig + signatures + 1), " /Prev " + std::to_string(prev));
  for (const auto& [range_at, hole] : holes) {
    char range[64];
    const size_t after = hole + 66;
    std::snprintf(range, sizeof range, "[0000000000 %010zu %010zu %010zu]", hole, after, pdf.size() - after);
    pdf.replace(range_at, placeholder.size(), range);
  }
  return pdf;
}

std::string XrefNumberOverflow() {
  std::string pdf = "%PDF-1.7\n1 0 obj\n<</Type/Catalog>>\nendobj\n";
  const size_t xref = pdf.size();
  pdf += "xref\n9223372036854775799 10\n";
  for (int i = 0; i < 10; ++i) pdf += XrefLine(9);
  return pdf + Tail(xref, 2, "");
}

std::string HugeXrefCount() {
  std::string pdf = "%PDF-1.7\n1 0 obj\n<</Type/Catalog>>\nendobj\n";
  const size_t xref = pdf.size();
  pdf += "xref\n0 8388607\n0000000000 65535 f \n" + XrefLine(9) + XrefLine(9);
  return pdf + Tail(xref, 2, "");
}

}  // namespace rubrica::fuzz_testing
