#include "tst_info.h"

#include "der_reader.h"
#include "der_writer.h"

namespace rubrica::signing {
namespace {

std::string Retagged(std::string encoding, uint8_t tag) {
  encoding[0] = static_cast<char>(tag);
  return encoding;
}

}  // namespace

std::string EncodeMessageImprint(std::string_view algorithm_oid, std::string_view hashed) {
  return der::Sequence({der::AlgorithmId(algorithm_oid), der::OctetString(hashed)});
}

Result<MessageImprint> ReadMessageImprint(der::Reader& r) {
  MessageImprint out;
  ASSIGN_OR_RETURN(der::Element imprint, r.Expect(der::kSequence, "messageImprint"));
  der::Reader mi = imprint.Children();
  ASSIGN_OR_RETURN(out.algorithm, der::ReadAlgorithm(mi, "messageImprint hashAlgorithm"));
  ASSIGN_OR_RETURN(der::Element hashed, mi.Expect(der::kOctetString, "messageImprint hashedMessage"));
  RETURN_IF_ERROR(mi.ExpectEnd("messageImprint"));
  out.hashed = std::string(hashed.content);
  return out;
}

Result<std::string> EncodeTstInfo(const TstInfo& info) {
  ASSIGN_OR_RETURN(std::string policy, der::Oid(info.policy_oid));
  std::vector<std::string> fields = {
      der::SmallInteger(1),
      policy,
      EncodeMessageImprint(info.imprint.algorithm, info.imprint.hashed),
      der::UnsignedInteger(info.serial),
      der::GeneralizedTime(info.gen_time),
  };
  if (info.accuracy_micros > 0) {
    const int64_t seconds = info.accuracy_micros / 1000000;
    const int64_t millis = info.accuracy_micros / 1000 % 1000;
    const int64_t micros = info.accuracy_micros % 1000;
    std::vector<std::string> accuracy;
    if (seconds != 0) accuracy.push_back(der::SmallInteger(static_cast<uint64_t>(seconds)));
    if (millis != 0) {
      accuracy.push_back(Retagged(der::SmallInteger(static_cast<uint64_t>(millis)), der::ContextPrimitive(0)));
    }
    if (micros != 0) {
      accuracy.push_back(Retagged(der::SmallInteger(static_cast<uint64_t>(micros)), der::ContextPrimitive(1)));
    }
    fields.push_back(der::Sequence(accuracy));
  }
  if (!info.nonce.empty()) fields.push_back(der::Tlv(der::kInteger, info.nonce));
  if (!info.tsa_name.empty()) {
    fields.push_back(der::Tlv(der::ContextConstructed(0),
                              der::Tlv(der::ContextConstructed(4), info.tsa_name)));
  }
  return der::Sequence(fields);
}

Result<TstInfo> ParseTstInfo(std::string_view bytes) {
  TstInfo out;
  der::Reader top(bytes);
  ASSIGN_OR_RETURN(der::Element seq, top.Expect(der::kSequence, "TSTInfo"));
  RETURN_IF_ERROR(top.ExpectEnd("TSTInfo"));
  der::Reader in = seq.Children();
  ASSIGN_OR_RETURN(int64_t version, der::ReadSmallInteger(in, "TSTInfo version"));
  if (version != 1) return der::BadDer("TSTInfo version", seq.offset, "version " + std::to_string(version) + ", expected 1");
  ASSIGN_OR_RETURN(out.policy_oid, der::ReadOid(in, "TSTInfo policy"));
  ASSIGN_OR_RETURN(out.imprint, ReadMessageImprint(in));
  ASSIGN_OR_RETURN(std::string_view serial,
                   der::ReadIntegerBytes(in, "TSTInfo serialNumber", kMaxSerialOrNonceBytes));
  out.serial = std::string(serial);
  ASSIGN_OR_RETURN(der::Element gen_time, in.Expect(der::kGeneralizedTime, "TSTInfo genTime"));
  ASSIGN_OR_RETURN(out.gen_time, der::ParseGeneralizedTime(gen_time, "TSTInfo genTime"));
  ASSIGN_OR_RETURN(std::optional<der::Element> accuracy, in.Optional(der::kSequence, "TSTInfo accuracy"));
  if (accuracy) {
    der::Reader a = accuracy->Children();
    int64_t micros = 0;
    if (a.PeekTag() == der::kInteger) {
      ASSIGN_OR_RETURN(int64_t s, der::ReadSmallInteger(a, "accuracy seconds"));
      micros += s * 1000000;
    }
    for (int field = 0; field < 2; ++field) {
      if (a.PeekTag() != der::ContextPrimitive(field)) continue;
      ASSIGN_OR_RETURN(der::Element e, a.Next("accuracy fraction"));
      if (e.content.empty() || e.content.size() > 2) return der::BadDer("accuracy fraction", e.offset, "out of range");
      int64_t v = 0;
      for (char c : e.content) v = (v << 8) | static_cast<uint8_t>(c);
      micros += field == 0 ? v * 1000 : v;
    }
    RETURN_IF_ERROR(a.ExpectEnd("TSTInfo accuracy"));
    out.accuracy_micros = micros;
  }
  ASSIGN_OR_RETURN(std::optional<der::Element> ordering, in.Optional(der::kBoolean, "TSTInfo ordering"));
  (void)ordering;
  if (in.PeekTag() == der::kInteger) {
    ASSIGN_OR_RETURN(std::string_view nonce, der::ReadIntegerBytes(in, "TSTInfo nonce", kMaxSerialOrNonceBytes));
    out.nonce = std::string(nonce);
  }
  ASSIGN_OR_RETURN(std::optional<der::Element> tsa, in.Optional(der::ContextConstructed(0), "TSTInfo tsa"));
  if (tsa) {
    der::Reader t = tsa->Children();
    ASSIGN_OR_RETURN(der::Element name, t.Next("TSTInfo tsa GeneralName"));
    if (name.tag == der::ContextConstructed(4)) out.tsa_name = std::string(name.content);
  }
  ASSIGN_OR_RETURN(std::optional<der::Element> ext, in.Optional(der::ContextConstructed(1), "TSTInfo extensions"));
  (void)ext;
  RETURN_IF_ERROR(in.ExpectEnd("TSTInfo"));
  return out;
}

}  // namespace rubrica::signing
