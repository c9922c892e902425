#include "signed_data_parser.h"

#include "der_reader.h"
#include "der_writer.h"
#include "oids.h"

namespace rubrica::signing {
namespace {

using der::Element;
using der::Reader;

Status TooMany(std::string_view what, size_t offset, size_t limit) {
  return der::BadDer(what, offset, "more than " + std::to_string(limit) + " entries");
}

Result<std::vector<ParsedAttribute>> ParseAttributes(const Element& set, std::string_view what) {
  std::vector<ParsedAttribute> out;
  Reader in = set.Children();
  while (!in.AtEnd()) {
    if (out.size() == kMaxAttributes) return TooMany(what, in.offset(), kMaxAttributes);
    ASSIGN_OR_RETURN(Element attr, in.Expect(der::kSequence, what));
    Reader a = attr.Children();
    ParsedAttribute parsed;
    ASSIGN_OR_RETURN(parsed.oid, der::ReadOid(a, "attribute type"));
    ASSIGN_OR_RETURN(Element values, a.Expect(der::kSet, "attribute values of " + parsed.oid));
    RETURN_IF_ERROR(a.ExpectEnd("attribute " + parsed.oid));
    Reader v = values.Children();
    while (!v.AtEnd()) {
      if (parsed.values.size() == kMaxAttributeValues) {
        return TooMany("values of attribute " + parsed.oid, v.offset(), kMaxAttributeValues);
      }
      ASSIGN_OR_RETURN(Element value, v.Next("value of attribute " + parsed.oid));
      parsed.values.push_back(value.encoding);
    }
    if (parsed.values.empty()) {
      return der::BadDer("attribute " + parsed.oid, attr.offset, "has no value");
    }
    out.push_back(std::move(parsed));
  }
  return out;
}

Result<ParsedSignerInfo> ParseSignerInfo(const Element& seq) {
  ParsedSignerInfo si;
  si.offset = seq.offset;
  Reader in = seq.Children();
  ASSIGN_OR_RETURN(si.version, der::ReadSmallInteger(in, "SignerInfo version"));
  if (in.PeekTag() == der::kSequence) {
    ASSIGN_OR_RETURN(Element ias, in.Next("issuerAndSerialNumber"));
    Reader r = ias.Children();
    ASSIGN_OR_RETURN(Element issuer, r.Expect(der::kSequence, "signer issuer name"));
    ASSIGN_OR_RETURN(Element serial, r.Expect(der::kInteger, "signer serial number"));
    RETURN_IF_ERROR(r.ExpectEnd("issuerAndSerialNumber"));
    if (serial.content.empty()) return der::BadDer("signer serial number", serial.offset, "empty");
    si.sid_issuer = issuer.encoding;
    si.sid_serial = serial.content;
  } else {
    ASSIGN_OR_RETURN(Element ski, in.Expect(der::ContextPrimitive(0), "signer identifier"));
    si.sid_key_id = ski.content;
  }
  ASSIGN_OR_RETURN(si.digest_algorithm, der::ReadAlgorithm(in, "SignerInfo digestAlgorithm"));
  ASSIGN_OR_RETURN(std::optional<Element> signed_attrs,
                   in.Optional(der::ContextConstructed(0), "signed attributes"));
  if (signed_attrs) {
    si.signed_attrs_der = signed_attrs->encoding;
    ASSIGN_OR_RETURN(si.signed_attrs, ParseAttributes(*signed_attrs, "signed attributes"));
  }
  ASSIGN_OR_RETURN(si.signature_algorithm,
                   der::ReadAlgorithm(in, "SignerInfo signatureAlgorithm", &si.signature_params));
  ASSIGN_OR_RETURN(Element signature, in.Expect(der::kOctetString, "signature value"));
  si.signature = signature.content;
  ASSIGN_OR_RETURN(std::optional<Element> unsigned_attrs,
                   in.Optional(der::ContextConstructed(1), "unsigned attributes"));
  if (unsigned_attrs) {
    ASSIGN_OR_RETURN(si.unsigned_attrs, ParseAttributes(*unsigned_attrs, "unsigned attributes"));
  }
  RETURN_IF_ERROR(in.ExpectEnd("SignerInfo"));
  return si;
}

}  // namespace

std::string ParsedSignerInfo::SignedAttributesAsSet() const {
  std::string out(signed_attrs_der);
  if (!out.empty()) out[0] = static_cast<char>(der::kSet);
  return out;
}

const ParsedAttribute* ParsedSignerInfo::Find(const std::vector<ParsedAttribute>& attrs,
                                              std::string_view oid) {
  for (const ParsedAttribute& a : attrs) {
    if (a.oid == oid) return &a;
  }
  return nullptr;
}

Result<ParsedSignedData> ParseSignedData(std::string_view bytes) {
  if (bytes.empty()) return der::BadDer("ContentInfo", 0, "no bytes");
  if (bytes.size() > kMaxSignedDataBytes) {
    return der::BadDer("ContentInfo", 0,
                       std::to_string(bytes.size()) + " bytes, more than the limit of " +
                           std::to_string(kMaxSignedDataBytes));
  }
  ParsedSignedData out;
  Reader top(bytes);
  ASSIGN_OR_RETURN(Element content_info, top.Expect(der::kSequence, "ContentInfo"));
  for (char c : top.rest()) {
    if (c != 0) return der::BadDer("ContentInfo", top.offset(), "non-zero bytes after the end");
  }
  out.trailing_zeros = top.rest().size();

  Reader ci = content_info.Children();
  ASSIGN_OR_RETURN(std::string content_type, der::ReadOid(ci, "ContentInfo contentType"));
  if (content_type != oid::kSignedData) {
    return Status::Error(ErrorKind::kInvalidArgument, "signing.not_signed_data",
                         "ContentInfo holds " + content_type + ", not SignedData (" +
                             oid::kSignedData + ")",
                         "La firma no tiene el formato CMS esperado.");
  }
  ASSIGN_OR_RETURN(Element explicit0, ci.Expect(der::ContextConstructed(0), "ContentInfo content"));
  RETURN_IF_ERROR(ci.ExpectEnd("ContentInfo"));
  Reader wrap = explicit0.Children();
  ASSIGN_OR_RETURN(Element signed_data, wrap.Expect(der::kSequence, "SignedData"));
  RETURN_IF_ERROR(wrap.ExpectEnd("ContentInfo content"));

  Reader sd = signed_data.Children();
  ASSIGN_OR_RETURN(out.version, der::ReadSmallInteger(sd, "SignedData version"));
  ASSIGN_OR_RETURN(Element digest_algs, sd.Expect(der::kSet, "SignedData digestAlgorithms"));
  Reader da = digest_algs.Children();
  while (!da.AtEnd()) {
    if (out.digest_algorithms.size() == kMaxAttributes) {
      return TooMany("digestAlgorithms", da.offset(), kMaxAttributes);
    }
    ASSIGN_OR_RETURN(std::string alg, der::ReadAlgorithm(da, "digestAlgorithms entry"));
    out.digest_algorithms.push_back(std::move(alg));
  }

  ASSIGN_OR_RETURN(Element encap, sd.Expect(der::kSequence, "encapContentInfo"));
  Reader ec = encap.Children();
  ASSIGN_OR_RETURN(out.econtent_type, der::ReadOid(ec, "eContentType"));
  ASSIGN_OR_RETURN(std::optional<Element> econtent,
                   ec.Optional(der::ContextConstructed(0), "eContent"));
  if (econtent) {
    Reader octets = econtent->Children();
    ASSIGN_OR_RETURN(Element os, octets.Expect(der::kOctetString, "eContent"));
    RETURN_IF_ERROR(octets.ExpectEnd("eContent"));
    out.econtent = os.content;
  }
  RETURN_IF_ERROR(ec.ExpectEnd("encapContentInfo"));

  ASSIGN_OR_RETURN(std::optional<Element> certs, sd.Optional(der::ContextConstructed(0), "certificates"));
  if (certs) {
    Reader cr = certs->Children();
    while (!cr.AtEnd()) {
      if (out.certificates.size() == kMaxCertificates) {
        return TooMany("certificates", cr.offset(), kMaxCertificates);
      }
      ASSIGN_OR_RETURN(Element cert, cr.Next("certificate"));
      // Attribute and other certificate formats carry nothing this profile uses.
      if (cert.tag == der::kSequence) {
        out.certificates.push_back(cert.encoding);
        out.certificate_offsets.push_back(cert.offset);
      }
    }
  }
  ASSIGN_OR_RETURN(std::optional<Element> crls, sd.Optional(der::ContextConstructed(1), "crls"));
  (void)crls;  // revocation data is read from the PDF's DSS, not from here

  ASSIGN_OR_RETURN(Element signer_infos, sd.Expect(der::kSet, "signerInfos"));
  RETURN_IF_ERROR(sd.ExpectEnd("SignedData"));
  Reader si = signer_infos.Children();
  while (!si.AtEnd()) {
    if (out.signer_infos.size() == kMaxSignerInfos) {
      return TooMany("signerInfos", si.offset(), kMaxSignerInfos);
    }
    ASSIGN_OR_RETURN(Element info, si.Expect(der::kSequence, "SignerInfo"));
    ASSIGN_OR_RETURN(ParsedSignerInfo parsed, ParseSignerInfo(info));
    out.signer_infos.push_back(std::move(parsed));
  }
  return out;
}

}  // namespace rubrica::signing
