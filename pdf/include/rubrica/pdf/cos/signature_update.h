// The PDF half of PAdES signing: fill one pre-existing empty signature field in a new
// incremental revision, with a /Contents placeholder for the CMS, compute what must be
// signed, and embed the CMS. Nothing here knows CMS or certificates.
//
//   auto prepared = PrepareSignature(file, request);   // bytes in memory, placeholder inside
//   std::string digest = SignedDigest(*prepared);      // SHA-256 of the two byte ranges
//   ... build the CMS over `digest` (signing/) ...
//   RETURN_IF_ERROR(EmbedSignature(*prepared, cms));   // fills the placeholder in place
//   write prepared->bytes atomically
//
// A PreparedSignature is never written to disk before EmbedSignature succeeds, so no file
// ever carries an empty placeholder.
//
// Kinds of revision (the construction is documented in docs/pdf-signatures.md):
//  - kCertification: fills `certificacion`, sig dict with a DocMDP /Reference (P=2), and a
//    new catalog version with /Perms /DocMDP.
//  - kRubric: fills `rubrica_k` (invisible) and, in the same revision, the text field
//    `marca_k` (value) and the one appearance XObject its per-page widgets share (the mark).
//  - kFoot: fills `firma_k` and gives its widget a drawn appearance.
//  - kDocumentTimestamp: the archive seal. Adds a new invisible signature field (named
//    `field`, on page 1) whose value is a /DocTimeStamp (RFC 3161), and, in the same
//    revision, the document security store /DSS with `dss_certificates` and `dss_crls`
//    (long-term validation material). PAdES-B-LTA.
//
// Thread-compatible; pure functions of their inputs.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/pdf/cos/pdf_file.h"

namespace rubrica::pdf::cos {

enum class SignatureKind { kCertification, kRubric, kFoot, kDocumentTimestamp };

struct SignatureRequest {
  SignatureKind kind = SignatureKind::kFoot;
  /// The empty signature field to fill ("certificacion", "rubrica_3", "firma_3").
  std::string field;
  /// kRubric: the text field whose widgets show the mark ("marca_3"), its new value, and
  /// the mark's initials and small lines.
  std::string mark_field;
  std::string mark_value;
  std::string mark_initials;
  std::vector<std::string> mark_lines;
  /// kFoot: lines drawn in the widget (label, name, role, date...).
  std::vector<std::string> appearance_lines;
  /// Signature dictionary entries (UTF-8; empty ones are omitted).
  std::string name;      // /Name
  std::string reason;    // /Reason
  std::string location;  // /Location
  std::string pdf_date;  // /M, e.g. "D:20261121120405-06'00'"
  /// kCertification: DocMDP permissions (1, 2 or 3). Default 2: form filling and signing.
  int docmdp_permissions = 2;
  /// Bytes reserved for the DER CMS (the hex placeholder is twice this). Default 16 KiB.
  size_t contents_bytes = 16384;
  /// kDocumentTimestamp: DER certificates and CRLs for the /DSS.
  std::vector<std::string> dss_certificates;
  std::vector<std::string> dss_crls;
};

struct PreparedSignature {
  std::string bytes;                   // the whole new file, placeholder inside
  size_t hole_begin = 0;               // offset of '<' of /Contents
  size_t hole_end = 0;                 // offset just past its '>'
  std::array<int64_t, 4> byte_range{};
  Ref signature_dict;
};

/// Builds the new revision. Errors: pdf.no_such_field, pdf.not_a_signature_field,
/// pdf.field_already_signed (kConflict; for kDocumentTimestamp: a field of that name
/// exists), pdf.bad_mark_field, and the parse errors of reading `base`.
Result<PreparedSignature> PrepareSignature(const PdfFile& base, const SignatureRequest& request);

/// SHA-256 (32 raw bytes) of the bytes the signature covers: everything but the hole.
std::string SignedDigest(const PreparedSignature& prepared);

/// Writes `cms_der` (hex) into the placeholder. Fails with pdf.signature_too_large when it
/// does not fit; then `prepared` is unchanged.
Status EmbedSignature(PreparedSignature& prepared, std::string_view cms_der);

}  // namespace rubrica::pdf::cos
