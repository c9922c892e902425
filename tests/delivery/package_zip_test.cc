#include "rubrica/delivery/package_zip.h"

#include <Poco/DateTime.h>
#include <Poco/Zip/Compress.h>
#include <gtest/gtest.h>

#include <sstream>

namespace rubrica::delivery {
namespace {

// A ZIP written with Poco, then with each entry's name replaced in the local header and
// the central directory: how a hostile sender would make names our writer (and Poco's)
// refuse. The placeholder has the name's length, so every offset stays right.
std::string RawZip(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::stringstream out(std::ios::in | std::ios::out | std::ios::binary);
  Poco::Zip::Compress zip(out, true);
  std::vector<std::pair<std::string, std::string>> renames;
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& [name, bytes] = entries[i];
    std::string placeholder = std::string(1, static_cast<char>('A' + i)) + std::string(name.size() - 1, 'q');
    renames.emplace_back(placeholder, name);
    std::istringstream in(bytes);
    zip.addFile(in, Poco::DateTime(2000, 1, 1), Poco::Path(placeholder, Poco::Path::PATH_UNIX),
                Poco::Zip::ZipCommon::CM_DEFLATE, Poco::Zip::ZipCommon::CL_MAXIMUM);
  }
  zip.close();
  std::string bytes = out.str();
  for (const auto& [from, to] : renames) {
    for (size_t at = 0; (at = bytes.find(from, at)) != std::string::npos; at += to.size()) {
      bytes.replace(at, from.size(), to);
    }
  }
  return bytes;
}

TEST(PackageZipTest, ReadsBackWhatItWrote) {
  auto zip = WriteZip({{"manifest.xml", "<a/>"}, {"actas/STM-ZAMORA-2023-001.pdf", std::string(5000, 'x')}});
  ASSERT_TRUE(zip.ok()) << zip.status().message();
  auto entries = ReadZip(*zip);
  ASSERT_TRUE(entries.ok()) << entries.status().message();
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].name, "actas/STM-ZAMORA-2023-001.pdf");
  EXPECT_EQ((*entries)[0].bytes, std::string(5000, 'x'));
  EXPECT_EQ((*entries)[1].bytes, "<a/>");
}

TEST(PackageZipTest, RefusesWhatAnInboxMustNotAccept) {
  ZipLimits small;
  small.max_entry_bytes = 1 << 20;
  small.max_total_bytes = 3 << 20;
  const std::string zeros(8 << 20, '\0');  // 8 MiB of zeros deflate to a few KiB: a bomb
  struct Case {
    const char* what;
    std::string zip;
    ZipLimits limits;
    const char* code;
  } cases[] = {
      {"not a zip", "PK\x03\x04 this is not a zip", {}, "delivery.zip_unreadable"},
      {"empty input", "", {}, "delivery.zip_unreadable"},
      {"parent directory", RawZip({{"../../etc/cron.d/x", "boom"}}), {}, "delivery.zip_bad_name"},
      {"nested parent", RawZip({{"actas/../../x.pdf", "boom"}}), {}, "delivery.zip_bad_name"},
      {"backslash", RawZip({{"actas\\..\\x.pdf", "boom"}}), {}, "delivery.zip_bad_name"},
      {"entry inflating past the limit", RawZip({{"actas/a.pdf", zeros}}), small, "delivery.zip_too_large"},
      {"sum past the limit",
       RawZip({{"a", std::string(900 << 10, 'a')}, {"b", std::string(900 << 10, 'b')},
               {"c", std::string(900 << 10, 'c')}, {"d", std::string(900 << 10, 'd')}}),
       small, "delivery.zip_too_large"},
      {"archive past the limit", RawZip({{"a", "x"}}), ZipLimits{10, 1 << 20, 1 << 20, 10}, "delivery.zip_too_large"},
      {"too many entries", RawZip({{"a", "1"}, {"b", "2"}, {"c", "3"}}), ZipLimits{1 << 20, 1 << 20, 1 << 20, 2},
       "delivery.zip_too_many"},
  };
  for (const Case& c : cases) {
    auto r = ReadZip(c.zip, c.limits);
    ASSERT_FALSE(r.ok()) << c.what;
    EXPECT_EQ(r.status().code(), c.code) << c.what << ": " << r.status().message();
    EXPECT_FALSE(r.status().message_es().empty()) << c.what;
  }
}

// Sets the 32-bit little-endian field at `offset` of every header starting with
// `signature` ("PK\x03\x04": local headers, "PK\x01\x02": the central directory).
void Patch32(std::string& zip, const std::string& signature, size_t offset, uint32_t value) {
  for (size_t at = 0; (at = zip.find(signature, at)) != std::string::npos; at += signature.size()) {
    for (int i = 0; i < 4; ++i) zip[at + offset + i] = static_cast<char>((value >> (8 * i)) & 0xff);
  }
}

// Both copies of an entry's field: CRC-32 (local 14, central 16), uncompressed size
// (local 22, central 24).
enum class Field { kCrc, kSize };
std::string WithField(std::string zip, Field field, uint32_t value) {
  Patch32(zip, std::string("PK\x03\x04", 4), field == Field::kCrc ? 14 : 22, value);
  Patch32(zip, std::string("PK\x01\x02", 4), field == Field::kCrc ? 16 : 24, value);
  return zip;
}

TEST(PackageZipTest, EntriesAreInflatedToExactlyWhatTheirHeadersSay) {
  // Stored and deflated entries read back byte for byte (a pseudo-random one too, which
  // deflate cannot shrink away); a header that lies about the size, a wrong CRC or a byte
  // changed in the compressed data is refused, never read as something else.
  std::string noise(300000, '\0');
  uint32_t x = 12345;
  for (char& c : noise) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>(x >> 24);
  }
  auto deflated = WriteZip({{"actas/a.pdf", noise}, {"manifest.xml", std::string(70000, 'm')}});
  ASSERT_TRUE(deflated.ok());
  auto back = ReadZip(*deflated);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[0].bytes, noise);
  EXPECT_EQ((*back)[1].bytes, std::string(70000, 'm'));

  std::stringstream out(std::ios::in | std::ios::out | std::ios::binary);
  {
    Poco::Zip::Compress zip(out, true);
    std::istringstream in(noise);
    zip.addFile(in, Poco::DateTime(2000, 1, 1), Poco::Path("stored.pdf", Poco::Path::PATH_UNIX),
                Poco::Zip::ZipCommon::CM_STORE);
    zip.close();
  }
  auto stored = ReadZip(out.str());
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0].bytes, noise);

  const std::string one = RawZip({{"actas/a.pdf", std::string(65536, 'a') + noise.substr(0, 1000)}});
  ASSERT_TRUE(ReadZip(one).ok());
  std::string flipped = one;
  flipped[flipped.find("actas/a.pdf") + 11 + 40] ^= 0x10;  // inside the deflated data
  ZipLimits small;
  small.max_entry_bytes = 40000;
  small.max_total_bytes = 40000;
  const struct {
    const char* what;
    std::string zip;
    ZipLimits limits;
    const char* code;
  } cases[] = {
      {"declared smaller than it inflates", WithField(one, Field::kSize, 1000), {}, "delivery.zip_unreadable"},
      {"declared smaller, inflating past the limit", WithField(one, Field::kSize, 1000), small,
       "delivery.zip_too_large"},
      {"declared larger than it inflates", WithField(one, Field::kSize, 70000), {}, "delivery.zip_unreadable"},
      {"wrong CRC", WithField(one, Field::kCrc, 0x12345678), {}, "delivery.zip_unreadable"},
      {"a byte changed in the compressed data", flipped, {}, "delivery.zip_unreadable"},
      {"stored, declared smaller", WithField(out.str(), Field::kSize, 1000), {}, "delivery.zip_unreadable"},
      {"truncated archive", one.substr(0, one.size() / 2), {}, "delivery.zip_unreadable"},
  };
  for (const auto& c : cases) {
    auto r = ReadZip(c.zip, c.limits);
    ASSERT_FALSE(r.ok()) << c.what;
    EXPECT_EQ(r.status().code(), c.code) << c.what << ": " << r.status().message();
    EXPECT_FALSE(r.status().message_es().empty()) << c.what;
  }
}

TEST(PackageZipTest, WriterRefusesUnsafeAndRepeatedNames) {
  for (const char* name : {"../x", "/abs", "a//b", "a/./b", "c:\\x", ""}) {
    auto r = WriteZip({{name, "x"}});
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.status().code(), "delivery.zip_bad_name") << name;
  }
  auto twice = WriteZip({{"a", "1"}, {"a", "2"}});
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().code(), "delivery.zip_bad_name");
}

}  // namespace
}  // namespace rubrica::delivery
