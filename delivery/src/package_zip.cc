#include "rubrica/delivery/package_zip.h"

#include <Poco/DateTime.h>
#include <Poco/Exception.h>
#include <Poco/MemoryStream.h>
#include <Poco/Zip/Compress.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>
#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <set>
#include <sstream>

namespace rubrica::delivery {

namespace {

Status Refuse(ErrorKind kind, const char* code, const std::string& message, const std::string& es) {
  return Status::Error(kind, code, message, es);
}

Status TooLarge(const std::string& name) {
  return Refuse(ErrorKind::kTooLarge, "delivery.zip_too_large", "entry '" + name + "' inflates past the limit",
                "Un archivo del paquete excede el tamaño máximo permitido.");
}

Status NotItsSize(const std::string& name) {
  return Refuse(ErrorKind::kRejected, "delivery.zip_unreadable",
                "entry '" + name + "' does not inflate to its declared size", "El paquete está dañado.");
}

Status Unreadable(const std::string& name, const std::string& why) {
  return Refuse(ErrorKind::kRejected, "delivery.zip_unreadable",
                "not a readable ZIP: entry '" + name + "': " + why, "El paquete no es un archivo ZIP legible.");
}

// libdeflate's inflate (about twice zlib's speed), when the raw deflate data at `in` is one
// whole stream that inflates to exactly out.size() bytes: then the bytes are what zlib
// would give. False for anything else (the caller then inflates with zlib).
bool InflatesExactly(const unsigned char* in, uint64_t in_bytes, std::string& out) {
  struct Free {
    void operator()(libdeflate_decompressor* d) const { libdeflate_free_decompressor(d); }
  };
  thread_local std::unique_ptr<libdeflate_decompressor, Free> d(libdeflate_alloc_decompressor());
  if (!d) return false;
  size_t produced = 0;
  return libdeflate_deflate_decompress(d.get(), in, in_bytes, out.data(), out.size(), &produced) ==
             LIBDEFLATE_SUCCESS &&
         produced == out.size();
}

// Reads a stored or deflated entry straight from the archive's bytes (libdeflate, else zlib): inflated
// once into its final string (sized from the header, already checked against the limits),
// its CRC-32 checked, where Poco's streams went 1 KiB at a time through three buffers
// (three quarters of the inbox's ReadZip time). The same refusals as the stream path below:
// more bytes than declared count against the limits (delivery.zip_too_large) or are
// delivery.zip_unreadable, as are fewer bytes, corrupt data and a wrong CRC.
Status InflateEntry(const std::string& zip, const Poco::Zip::ZipLocalFileHeader& h, const ZipLimits& limits,
                    uint64_t& total, ZipEntry& e) {
  const auto start = h.getDataStartPos();
  const uint64_t compressed = h.getCompressedSize();
  if (start < 0 || static_cast<uint64_t>(start) > zip.size() || compressed > zip.size() - static_cast<uint64_t>(start)) {
    return Unreadable(e.name, "its data runs past the archive's end");
  }
  const unsigned char* in = reinterpret_cast<const unsigned char*>(zip.data()) + start;
  const uint64_t declared = h.getUncompressedSize();
  e.bytes.resize(declared);
  uint64_t produced = 0;
  if (h.getCompressionMethod() == Poco::Zip::ZipCommon::CM_STORE) {
    if (compressed != declared) {
      if (compressed > limits.max_entry_bytes || total + compressed > limits.max_total_bytes) return TooLarge(e.name);
      return NotItsSize(e.name);
    }
    std::memcpy(e.bytes.data(), in, declared);
    produced = declared;
  } else if (InflatesExactly(in, compressed, e.bytes)) {
    produced = declared;  // a whole deflate stream of exactly the declared size
  } else {
    // Anything else (more or fewer bytes than declared, corrupt or truncated data) takes
    // zlib's path, whose answers name each case.
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return Unreadable(e.name, "zlib could not start");
    struct End {
      z_stream* z;
      ~End() { inflateEnd(z); }
    } end{&z};
    uint64_t in_left = compressed;
    auto feed = [&] {
      if (z.avail_in == 0 && in_left > 0) {
        const uInt n = static_cast<uInt>(std::min<uint64_t>(in_left, 1u << 30));
        z.next_in = const_cast<unsigned char*>(in + (compressed - in_left));
        z.avail_in = n;
        in_left -= n;
      }
    };
    int rc = Z_OK;
    // Into the entry's own bytes, then (a lying header) into scratch, counted.
    while (rc != Z_STREAM_END && produced < declared) {
      feed();
      z.next_out = reinterpret_cast<unsigned char*>(e.bytes.data()) + produced;
      z.avail_out = static_cast<uInt>(std::min<uint64_t>(declared - produced, 1u << 30));
      const uInt before = z.avail_out;
      rc = inflate(&z, Z_NO_FLUSH);
      produced += before - z.avail_out;
      if (rc != Z_OK && rc != Z_STREAM_END) break;
    }
    unsigned char scratch[65536];
    while (rc == Z_OK) {
      feed();
      z.next_out = scratch;
      z.avail_out = sizeof scratch;
      rc = inflate(&z, Z_NO_FLUSH);
      produced += sizeof scratch - z.avail_out;
      if (produced > limits.max_entry_bytes || total + produced > limits.max_total_bytes) return TooLarge(e.name);
    }
    if (rc != Z_STREAM_END && !(rc == Z_BUF_ERROR && produced == declared && in_left == 0 && z.avail_in == 0)) {
      if (rc == Z_BUF_ERROR && in_left == 0 && z.avail_in == 0) return NotItsSize(e.name);  // truncated data
      return Unreadable(e.name, z.msg != nullptr ? z.msg : "corrupt deflate data");
    }
  }
  if (produced != declared) return NotItsSize(e.name);
  total += produced;
  if (total > limits.max_total_bytes) return TooLarge(e.name);
  if (libdeflate_crc32(0, e.bytes.data(), e.bytes.size()) != h.getCRC()) return Unreadable(e.name, "CRC failure");
  return Status::Ok();
}

}  // namespace

bool IsSafeEntryName(const std::string& name) {
  if (name.empty() || name.size() > 255 || name.front() == '/' || name.back() == '/') return false;
  size_t start = 0;
  for (;;) {
    size_t slash = name.find('/', start);
    const std::string segment = name.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f || c == '\\' || c == ':') return false;
  }
  return true;
}

Result<std::string> WriteZip(const std::vector<ZipEntry>& entries) {
  std::set<std::string> names;
  for (const ZipEntry& e : entries) {
    if (!IsSafeEntryName(e.name) || !names.insert(e.name).second) {
      return Refuse(ErrorKind::kInvalidArgument, "delivery.zip_bad_name",
                    "unsafe or repeated ZIP entry name '" + e.name + "'",
                    "Un nombre de archivo del paquete no es válido.");
    }
  }
  try {
    std::stringstream out(std::ios::in | std::ios::out | std::ios::binary);
    Poco::Zip::Compress zip(out, /*seekableOut=*/true);
    // A fixed date: the archive's bytes depend only on its content.
    const Poco::DateTime when(2000, 1, 1);
    for (const ZipEntry& e : entries) {
      std::istringstream in(e.bytes, std::ios::binary);
      zip.addFile(in, when, Poco::Path(e.name, Poco::Path::PATH_UNIX), Poco::Zip::ZipCommon::CM_DEFLATE,
                  Poco::Zip::ZipCommon::CL_MAXIMUM);
    }
    zip.close();
    return out.str();
  } catch (const Poco::Exception& ex) {
    return Status::Error(ErrorKind::kInternal, "delivery.zip_write_failed", ex.displayText());
  }
}

Result<std::vector<ZipEntry>> ReadZip(const std::string& zip, const ZipLimits& limits) {
  if (zip.size() > limits.max_archive_bytes) {
    return Refuse(ErrorKind::kTooLarge, "delivery.zip_too_large",
                  "archive of " + std::to_string(zip.size()) + " bytes over the limit of " +
                      std::to_string(limits.max_archive_bytes),
                  "El paquete excede el tamaño máximo permitido.");
  }
  std::vector<ZipEntry> entries;
  try {
    Poco::MemoryInputStream in(zip.data(), zip.size());
    Poco::Zip::ZipArchive archive(in);
    // Check every header before inflating anything.
    uint64_t declared = 0;
    int count = 0;
    for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it) {
      if (++count > limits.max_entries) {
        return Refuse(ErrorKind::kTooLarge, "delivery.zip_too_many",
                      "more than " + std::to_string(limits.max_entries) + " entries",
                      "El paquete tiene demasiados archivos.");
      }
      const std::string& name = it->first;
      if (it->second.isDirectory() || !IsSafeEntryName(name)) {
        return Refuse(ErrorKind::kRejected, "delivery.zip_bad_name", "unsafe entry name '" + name + "'",
                      "El paquete contiene un nombre de archivo no permitido (" + name + ").");
      }
      const uint64_t size = it->second.getUncompressedSize();
      if (size > limits.max_entry_bytes || (declared += size) > limits.max_total_bytes) {
        return Refuse(ErrorKind::kTooLarge, "delivery.zip_too_large", "entry '" + name + "' too large",
                      "Un archivo del paquete excede el tamaño máximo permitido.");
      }
    }
    if (count == 0) {
      return Refuse(ErrorKind::kRejected, "delivery.zip_unreadable", "no entries (not a ZIP, or an empty one)",
                    "El paquete no es un archivo ZIP legible o está vacío.");
    }
    // The central directory lists each name once (a map); a repeated local header shows up
    // as fewer names than headers.
    size_t central = 0;
    for (auto it = archive.fileInfoBegin(); it != archive.fileInfoEnd(); ++it) ++central;
    if (central != static_cast<size_t>(count)) {
      return Refuse(ErrorKind::kRejected, "delivery.zip_duplicate", "repeated or unlisted entries",
                    "El paquete repite un nombre de archivo.");
    }
    uint64_t total = 0;
    for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it) {
      const Poco::Zip::ZipLocalFileHeader& h = it->second;
      const auto method = h.getCompressionMethod();
      if (!h.isEncrypted() && !h.searchCRCAndSizesAfterData() &&
          (method == Poco::Zip::ZipCommon::CM_DEFLATE || method == Poco::Zip::ZipCommon::CM_STORE)) {
        ZipEntry e{it->first, {}};
        RETURN_IF_ERROR(InflateEntry(zip, h, limits, total, e));
        entries.push_back(std::move(e));
        continue;
      }
      // Anything else (sizes after the data, encryption, other methods): Poco's streams.
      Poco::Zip::ZipInputStream zin(in, it->second, true);
      ZipEntry e{it->first, {}};
      e.bytes.reserve(it->second.getUncompressedSize());  // checked against the limits above
      char buf[65536];
      while (zin.read(buf, sizeof buf).gcount() > 0) {
        e.bytes.append(buf, static_cast<size_t>(zin.gcount()));
        total += static_cast<uint64_t>(zin.gcount());
        if (e.bytes.size() > limits.max_entry_bytes || total > limits.max_total_bytes) {
          return Refuse(ErrorKind::kTooLarge, "delivery.zip_too_large",
                        "entry '" + e.name + "' inflates past the limit",
                        "Un archivo del paquete excede el tamaño máximo permitido.");
        }
      }
      if (e.bytes.size() != it->second.getUncompressedSize()) {
        return Refuse(ErrorKind::kRejected, "delivery.zip_unreadable",
                      "entry '" + e.name + "' does not inflate to its declared size",
                      "El paquete está dañado.");
      }
      entries.push_back(std::move(e));
    }
  } catch (const Poco::Exception& ex) {
    return Refuse(ErrorKind::kRejected, "delivery.zip_unreadable", "not a readable ZIP: " + ex.displayText(),
                  "El paquete no es un archivo ZIP legible.");
  } catch (const std::exception& ex) {
    return Refuse(ErrorKind::kRejected, "delivery.zip_unreadable", std::string("not a readable ZIP: ") + ex.what(),
                  "El paquete no es un archivo ZIP legible.");
  }
  return entries;
}

}  // namespace rubrica::delivery
