// Section's defaulted operator== (a Section holds blocks that may be Sections), alone in its
// file: clang 14 crashes compiling it, and the fuzzers (built with clang) need the rest of
// acta_document.cc but not this comparison.
#include "rubrica/pdf/acta_document.h"

namespace rubrica::pdf {

bool Section::operator==(const Section&) const = default;

}  // namespace rubrica::pdf
