// The embedded RFC 3161 time-stamping authority.
//
// Respond() turns a DER TimeStampReq into a DER TimeStampResp: status granted with a
// TimeStampToken, or status rejection with the failure bit RFC 3161 2.4.2 names:
//   badDataFormat       bytes that are not a TimeStampReq (or larger than 64 KiB);
//   badRequest          a version other than 1;
//   badAlg              an imprint algorithm other than SHA-256/384/512 (SHA-1 and MD5 are
//                       refused), or an imprint of the wrong length;
//   unacceptedPolicy    a requested policy other than ours;
//   unacceptedExtension any request extension.
//
// The token is a CMS SignedData (version 3) over the TSTInfo: signer identified by issuer
// and serial, SHA-256, signed attributes content-type id-ct-TSTInfo, message-digest and
// signing-certificate-v2 (no signing-time: time lives in genTime only). TSTInfo: version
// 1, our policy, the request's imprint and nonce, a random positive 127-bit serial number
// (unique without persisted state), genTime from the injected clock to the microsecond,
// the configured accuracy, ordering false, tsa = our subject name. certReq true in the
// request puts the TSA certificate and its chain in the token; false leaves them out
// (RFC 3161 2.4.1).
//
// Thread-safe: Respond is const and may run on many HTTP worker threads at once.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rubrica/base/clock.h"
#include "rubrica/base/status.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/keys/signing_key.h"

namespace rubrica::signing {

/// The default TSA policy: an OID under the UUID arc 2.25 (ITU-T X.667), minted for
/// Rúbrica's embedded TSA (UUID 45fde63f-143e-4232-8032-2e75de247ffe), so no
/// organisation's arc is borrowed.
inline constexpr const char* kDefaultTsaPolicyOid =
    "2.25.93035052766216551108237257326553497598";

struct TimestampAuthorityOptions {
  /// TSTInfo policy. Default kDefaultTsaPolicyOid.
  std::string policy_oid = kDefaultTsaPolicyOid;
  /// TSTInfo accuracy. Default 1 s (the host clock is NTP-disciplined, not a time lab).
  std::chrono::microseconds accuracy{1000000};
};

/// Supplies the TSA's private key for one response and is called once per granted
/// request, possibly from several threads at once: e.g. LocalCa::UnlockTsaKey, which
/// decrypts the key for one use so that it is not held in memory between requests.
using TsaKeyProvider = std::function<Result<keys::SigningKey>()>;

class TimestampAuthority {
 public:
  /// `certificates`: the TSA certificate first, then its chain (not including the root is
  /// fine). The certificate must carry a critical extendedKeyUsage timeStamping and match
  /// the key. `clock` must outlive the authority.
  /// Errors: signing.bad_tsa_certificate (kInvalidArgument) naming what is wrong,
  /// signing.bad_oid for a policy that is not an OID.
  ///
  /// This form holds `key` for the authority's lifetime.
  static Result<std::unique_ptr<TimestampAuthority>> Create(std::vector<keys::Certificate> certificates,
                                                            keys::SigningKey key, const Clock& clock,
                                                            TimestampAuthorityOptions options = {});
  /// This form asks `unlock` for the key at every granted request and drops it after. It
  /// unlocks once here to check the key against the certificate; an unlock failure then
  /// is returned as is, and at Respond time becomes signing.tsa_failed.
  static Result<std::unique_ptr<TimestampAuthority>> Create(std::vector<keys::Certificate> certificates,
                                                            TsaKeyProvider unlock, const Clock& clock,
                                                            TimestampAuthorityOptions options = {});

  /// A DER TimeStampResp for a DER TimeStampReq (see above). Rejections are answers, not
  /// errors; an error Status means the TSA itself failed (signing.tsa_failed, kInternal:
  /// the key could not be unlocked or its signature does not verify with the certificate,
  /// which is checked for every token).
  Result<std::string> Respond(std::string_view request_der) const;

  const keys::Certificate& certificate() const { return certificates_.front(); }
  const std::string& policy_oid() const { return options_.policy_oid; }

 private:
  TimestampAuthority(std::vector<keys::Certificate> certificates,
                     std::shared_ptr<const keys::SigningKey> key, TsaKeyProvider unlock,
                     const Clock& clock, TimestampAuthorityOptions options)
      : certificates_(std::move(certificates)), key_(std::move(key)), unlock_(std::move(unlock)),
        clock_(clock), options_(std::move(options)) {}
  static Status Check(const std::vector<keys::Certificate>& certificates, const keys::SigningKey& key,
                      const TimestampAuthorityOptions& options);

  std::vector<keys::Certificate> certificates_;
  std::shared_ptr<const keys::SigningKey> key_;  // null: ask unlock_
  TsaKeyProvider unlock_;
  const Clock& clock_;
  TimestampAuthorityOptions options_;
};

}  // namespace rubrica::signing
