// The verify path as one function of untrusted bytes, shared by the libFuzzer target
// (verify_fuzzer.cc) and the seed test (tests/fuzz/verify_seeds_test.cc), so CI runs every
// seed through exactly what the fuzzer runs.
//
// It drives the lower layers on their own (pdf::cos::PdfFile::Open, ReadFields of the first
// and last revision, AnalyzeRevisions, ReadEmbeddedFile) — which the verifier only reaches
// after its own checks — and then signing::VerifyPdf with a trust store holding the test
// anchor the seeds were signed under (fuzz/verify_anchor.pem), at a fixed clock, rendering
// the report as JSON and as text.
//
// The first call loads the anchor (aborts when it cannot: the seeds would be meaningless);
// later calls share it. Not thread-safe (libFuzzer calls it from one thread).
#pragma once

#include <string_view>

#include "rubrica/signing/verify_report.h"

namespace rubrica::fuzzing {

/// Limits the fuzzer verifies under: smaller than the defaults so that one input cannot
/// take more memory than libFuzzer's RSS limit allows.
inline constexpr size_t kFuzzMaxDecodedBytes = 8u << 20;

/// Runs the whole verify path on `data`; returns the verdict's exit status.
signing::VerifyExit VerifyUntrusted(std::string_view data);

}  // namespace rubrica::fuzzing
