// Signed XML from outside (a package manifest, an agency receipt) as a function of untrusted
// bytes, shared by the libFuzzer target (xml_fuzzer.cc) and the seed test
// (tests/fuzz/xml_seeds_test.cc), which runs every seed of fuzz/corpus/xml/ through it in
// the normal build.
//
//   FuzzSignedXml   signing::ParseXml and a walk of the tree; ValidateXmlSchema against
//                   tests/signing/xml_report_test.xsd; VerifyXmlSignature with a trust
//                   store holding fuzz/xml_anchor.pem, at 2026-03-15T17:30:00Z (a fixed
//                   time), timestamp required.
//
// Returns 1 when the signature verifies (the whole path), else 0. Not thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace rubrica::fuzzing {

size_t FuzzSignedXml(std::string_view data);

}  // namespace rubrica::fuzzing
