// The DER layer: encodings checked against X.690 examples and `openssl asn1parse`, and a
// reader that refuses what is not strict DER.
#include <gtest/gtest.h>

#include "der_reader.h"
#include "der_writer.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "support/test_support.h"

namespace rubrica::signing::der {
namespace {

using namespace std::chrono;

struct EncodeCase {
  const char* name;
  std::string encoding;
  const char* hex;
};

TEST(DerWriterTest, EncodesLikeX690) {
  const Instant t = Instant(sys_days(year(2026) / 3 / 14)) + hours(17) + minutes(30);
  const EncodeCase cases[] = {
      {"zero", SmallInteger(0), "020100"},
      {"127", SmallInteger(127), "02017f"},
      {"128 gets a leading zero", SmallInteger(128), "02020080"},
      {"leading zeros dropped", UnsignedInteger(std::string("\x00\x00\x01", 3)), "020101"},
      {"true", Boolean(true), "0101ff"},
      {"null", Null(), "0500"},
      {"id-data", KnownOid("1.2.840.113549.1.7.1"), "06092a864886f70d010701"},
      {"named bit 0 (badAlg)", NamedBit(0), "03020780"},
      {"named bit 5 (badDataFormat)", NamedBit(5), "03020204"},
      {"named bit 15 (unacceptedPolicy)", NamedBit(15), "0303000001"},
      {"time without fraction", GeneralizedTime(t), "180f32303236303331343137333030305a"},
      {"fraction without trailing zeros", GeneralizedTime(t + milliseconds(250)),
       "181232303236303331343137333030302e32355a"},
      {"long form length", OctetString(std::string(200, 'a')).substr(0, 4), "0481c861"},
      {"set of sorted", SetOf({SmallInteger(2), Boolean(false), SmallInteger(1)}), "3109010100020101020102"},
  };
  for (const EncodeCase& c : cases) EXPECT_EQ(HexEncode(c.encoding), c.hex) << c.name;
}

TEST(DerWriterTest, BigArcOidsRoundTripThroughOpenssl) {
  auto oid = Oid("2.25.93035052766216551108237257326553497598");
  ASSERT_TRUE(oid.ok());
  Reader r(*oid);
  auto text = ReadOid(r, "oid");
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, "2.25.93035052766216551108237257326553497598");
  rubrica::testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir / "oid.der", *oid).ok());
  auto parsed = rubrica::testing::RunCommand({"openssl", "asn1parse", "-inform", "DER", "-in", dir / "oid.der"});
  EXPECT_NE(parsed.out.find("2.25.93035052766216551108237257326553497598"), std::string::npos) << parsed.out;
  EXPECT_EQ(Oid("1.2.x").status().code(), "signing.bad_oid");
  EXPECT_EQ(Oid("").status().code(), "signing.bad_oid");
}

struct ReadCase {
  const char* name;
  std::string bytes;
  bool ok;
};

TEST(DerReaderTest, AcceptsOnlyStrictDefiniteLengths) {
  const ReadCase cases[] = {
      {"short form", std::string("\x04\x02hi", 4), true},
      {"long form", OctetString(std::string(300, 'x')), true},
      {"empty input", "", false},
      {"tag only", std::string("\x04", 1), false},
      {"indefinite length", std::string("\x30\x80\x00\x00", 4), false},
      {"long form for a short length", std::string("\x04\x81\x02hi", 5), false},
      {"leading zero length octet", std::string("\x04\x82\x00\x02hi", 6), false},
      {"length past the end", std::string("\x04\x05hi", 4), false},
      {"length of 2^32-1", std::string("\x04\x84\xff\xff\xff\xffhi", 8), false},
      {"five length octets", std::string("\x04\x85\x01\x00\x00\x00\x00", 7), false},
      {"high tag number", std::string("\x1f\x81\x01\x00", 4), false},
  };
  for (const ReadCase& c : cases) {
    Reader r(c.bytes);
    auto e = r.Next("element");
    EXPECT_EQ(e.ok(), c.ok) << c.name << ": " << e.status().ToString();
    if (!e.ok()) {
      EXPECT_EQ(e.status().code(), "signing.bad_der") << c.name;
    }
  }
}

TEST(DerReaderTest, ErrorsNameTheElementAndAbsoluteOffset) {
  const std::string outer = Sequence({SmallInteger(1), std::string("\x04\x09short", 7)});
  Reader top(outer);
  auto seq = top.Expect(kSequence, "outer");
  ASSERT_TRUE(seq.ok());
  Reader in = seq->Children();
  ASSERT_TRUE(in.Expect(kInteger, "version").ok());
  auto bad = in.Expect(kOctetString, "payload");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("payload at byte 5"), std::string::npos) << bad.status().message();
  auto wrong_tag = Reader(outer).Expect(kSet, "a set");
  EXPECT_NE(wrong_tag.status().message().find("tag 0x30 where 0x31"), std::string::npos);
}

TEST(DerReaderTest, GeneralizedTimeParsesDerFormOnly) {
  struct Case {
    const char* text;
    bool ok;
  };
  const Instant base = Instant(sys_days(year(2026) / 3 / 14)) + hours(17) + minutes(30);
  for (const Case& c : {Case{"20260314173000Z", true}, Case{"20260314173000.25Z", true},
                        Case{"20260314173000.250Z", false}, Case{"20260314173000", false},
                        Case{"20260230120000Z", false}, Case{"2026031417300Z", false},
                        Case{"20260314173000+0100", false}, Case{"20260314173000.Z", false}}) {
    const std::string enc = Tlv(kGeneralizedTime, c.text);
    Reader r(enc);
    auto t = ParseGeneralizedTime(*r.Next("t"), "genTime");
    EXPECT_EQ(t.ok(), c.ok) << c.text;
  }
  const std::string enc = GeneralizedTime(base + microseconds(123456));
  Reader r(enc);
  EXPECT_EQ(*ParseGeneralizedTime(*r.Next("t"), "genTime"), base + microseconds(123456));
}

}  // namespace
}  // namespace rubrica::signing::der
