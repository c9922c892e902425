// The bytes stage of verification: signatures found and their covered bytes hashed on the
// raw file, before and independently of any parsing of its objects. A file whose structure
// is damaged (a byte flipped in a dictionary, a stream or an xref) still gets each of its
// signatures judged: the digest of what it covers either holds or it does not.
//
// A candidate is a `/ByteRange [a b c d]` whose unsigned hole is one hex string (`<...>`,
// hex digits only) inside the file: that hex string is the signature's CMS (or RFC 3161
// token). Whether the hole really is its own dictionary's /Contents, and whether the
// covered bytes end where a revision ends, is for the structure stage (byte_range_check.h).
//
// Pure functions over the caller's buffer; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rubrica::signing {

struct RawSignature {
  std::array<int64_t, 4> byte_range{};
  size_t byte_range_at = 0;  // offset of the "/ByteRange" key
  std::string contents;      // the hole's hex decoded, trailing zero padding removed
  /// Covered-bytes digest algorithm the CMS asks for (dotted OID; "" when the CMS does not
  /// parse) and that digest (empty when not computed).
  std::string digest_oid;
  std::string digest;
  /// False when the digest was not computed: the signatures sharing this covered tail
  /// already add up to more than the file (a thousand signatures over one 32 MiB tail must
  /// not make the verifier hash 32 GB).
  bool hashed = false;
  bool over_budget = false;  // not hashed for that reason
};

/// Every candidate in `bytes`, in file order, at most `max_candidates` (later ones are
/// ignored). Two keys naming the same ranges give one candidate.
std::vector<RawSignature> FindRawSignatures(std::string_view bytes, size_t max_candidates = 4096);

/// The covered bytes ([0, r1) then [r2, r2 + r3)) of each candidate, hashed with the
/// algorithm its CMS names, in one pass over the file per algorithm: ranges are taken in the
/// order of their holes, and each digest finishes a copy of the running hash of everything
/// before its hole. Candidates whose tails add up past the file size are left unhashed.
/// With `file_sha256`, also the SHA-256 of the whole file (32 bytes), the SHA-256 running
/// hash carried on to the end: the file's own digest costs no pass of its own.
void HashCoveredBytes(std::string_view bytes, std::vector<RawSignature>& candidates,
                      std::string* file_sha256 = nullptr);

/// `digest` of the covered bytes for an arbitrary byte range and digest OID (SHA-1,
/// SHA-256, SHA-384, SHA-512); nullopt for another algorithm or a range outside the file.
std::optional<std::string> DigestOfRanges(std::string_view bytes, const std::array<int64_t, 4>& r,
                                          std::string_view digest_oid);

/// The offset of the first byte of `text` that is not a hex digit; npos when all are.
size_t FirstNonHex(std::string_view text);

/// /Contents is zero-padded after the DER; the DER header says where the token ends.
std::string DerPrefix(const std::string& bytes);

/// "SHA-256" for the OID of SHA-256, and so on ("" for others).
std::string DigestName(std::string_view digest_oid);

}  // namespace rubrica::signing
