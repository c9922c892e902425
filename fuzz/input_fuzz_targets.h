// The parsers of what reaches Rúbrica from outside, as functions of untrusted bytes, shared
// by their libFuzzer targets (input_fuzzers.cc, one binary per input) and the seed test
// (tests/fuzz/input_seeds_test.cc), which runs every seed of fuzz/corpus/<input>/ through
// the same function in the normal build.
//
//   FuzzApiJson       an API request body: JsonReader::Parse (limits, UTF-8 and NFC of
//                     every string), then the accessors the handlers use, on the keys the
//                     routes read (names, times, dates, arrays, nested objects), and Finish.
//   FuzzActaJson      acta content: pdf::ParseActaJson, and ActaToJson of what it accepted
//                     parsed again to the same document.
//   FuzzPkcs12        a .p12/.pfx file: keys::ReadPkcs12 with the password "fuzz".
//   FuzzEfirma        an e.firma: bytes 0-1 the length (big-endian) of the .cer, then the
//                     .cer, the rest the .key; ReadEfirmaCertificate and OpenEfirma with the
//                     password of tests/fixtures/efirma-sat-pruebas ("12345678a").
//   FuzzTsaResponse   an RFC 3161 TimeStampResp, as the answer to the timestamp client's
//                     request for a fixed imprint (signing's RequestTimestamp). Its nonce is
//                     random, so the deepest a response gets is the nonce comparison.
//   FuzzOcspResponse  an RFC 6960 OCSPResponse to a request without nonce about the leaf of
//                     fuzz/ocsp_pki/ (ReadOcspResponse: parse, signature, status, times), on
//                     a fixed clock.
//
// Each returns 1 when the input got through the whole parser (accepted, or refused only by
// the last check), else 0: the seed test requires each corpus to have such seeds. Not
// thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace rubrica::fuzzing {

size_t FuzzApiJson(std::string_view data);
size_t FuzzActaJson(std::string_view data);
size_t FuzzPkcs12(std::string_view data);
size_t FuzzEfirma(std::string_view data);
size_t FuzzTsaResponse(std::string_view data);
size_t FuzzOcspResponse(std::string_view data);

}  // namespace rubrica::fuzzing
