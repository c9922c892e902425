// Hostile PDFs for the verifier's tests and the fuzzer's seed corpus: files that are
// well-formed enough to get past the header and the cross-reference walk, and then try to
// exhaust the stack, the CPU or the memory of a naive reader. Every builder writes raw
// bytes (nothing here goes through the COS serialiser, which would itself recurse).
//
// Each file has a catalog (object 1), an empty page tree (2) and an AcroForm (3), so a
// verifier gets as far as its deeper checks before anything can stop it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rubrica::fuzz_testing {

/// A single-revision PDF with a classic xref: objects[i] is the body of object i+1 (the
/// bytes between "obj" and "endobj"). Object 1 is the catalog.
std::string RawPdf(const std::vector<std::string>& objects);

/// Appends an incremental update to `pdf` whose xref lists `objects` (number -> body).
std::string AppendRevision(std::string pdf, const std::vector<std::pair<int, std::string>>& objects);

/// One object made of `depth` nested arrays: past any parser's depth limit.
std::string DeeplyNested(int depth);

/// An embedded-files name tree of `levels` nodes, each listing the next one `fanout` times:
/// fanout^levels visits for a reader that does not notice it has seen a node.
std::string NameTreeFanOut(int fanout, int levels);

/// A form field tree that refers back to itself (/Kids cycle), which recurses forever in a
/// reader without a visited set.
std::string FieldCycle();

/// A FlateDecode stream of `inflated_bytes` zeros (about 1/1000 of that compressed).
std::string DecompressionBomb(uint64_t inflated_bytes);

/// A dictionary with `keys` distinct keys: quadratic for a reader that checks for
/// duplicates by scanning.
std::string ManyKeysDictionary(int keys);

/// `revisions` incremental updates over a form of `fields` signature fields.
std::string ManyRevisions(int revisions, int fields);

/// Objects whose bodies are strings holding the next object, `levels` deep, around `filler`
/// bytes: each xref entry points inside the previous object's string.
std::string NestedObjects(int levels, size_t filler);

/// One incremental update that fills `signatures` signature fields at once, each with a
/// /ByteRange that passes every structural check, followed by `tail_bytes` of data that
/// every one of them covers: hashing each signature's range on its own would read the tail
/// once per signature.
std::string ManySignaturesOneRevision(int signatures, size_t tail_bytes);

/// An xref subsection header whose first object number is near the largest 64-bit integer.
std::string XrefNumberOverflow();

/// An xref subsection that claims millions of entries and lists three.
std::string HugeXrefCount();

}  // namespace rubrica::fuzz_testing
