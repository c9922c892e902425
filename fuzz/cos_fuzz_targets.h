// The COS layer's new parser paths as functions of untrusted bytes, shared by their
// libFuzzer targets (cos_fuzzers.cc, one binary per path) and the seed test
// (tests/fuzz/cos_seeds_test.cc), which runs every seed of fuzz/corpus/<path>/ through the
// same function in the normal build.
//
//   FuzzXrefStream    the data of a cross-reference stream: byte 0 picks /W (three widths
//                     0-4), byte 1 a PNG predictor or none, the rest are the rows; wrapped in
//                     a one-revision PDF whose objects are then read.
//   FuzzObjectStream  the decoded data of an object stream ("num off ..." header, then the
//                     objects; /First is the offset after the first NUL byte, or 0); every
//                     object it lists is read through a cross-reference stream.
//   FuzzDecryption    a whole PDF file, opened (the empty-password security handler) and
//                     every object of every revision read and decrypted.
//
// Each returns the number of objects read (for the seed test's sanity). Not thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace rubrica::fuzzing {

size_t FuzzXrefStream(std::string_view data);
size_t FuzzObjectStream(std::string_view data);
size_t FuzzDecryption(std::string_view data);

}  // namespace rubrica::fuzzing
