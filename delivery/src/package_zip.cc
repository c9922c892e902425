#include "rubrica/delivery/package_zip.h"

#include <Poco/DateTime.h>
#include <Poco/Exception.h>
#include <Poco/Zip/Compress.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <set>
#include <sstream>

namespace rubrica::delivery {

namespace {

Status Refuse(ErrorKind kind, const char* code, const std::string& message, const std::string& es) {
  return Status::Error(kind, code, message, es);
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
    std::istringstream in(zip, std::ios::binary);
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
