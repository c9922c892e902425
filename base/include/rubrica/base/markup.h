// Text placed inside XML or HTML that we write ourselves (the PDF's XMP metadata, the
// server's pages). One escaping rule for both, safe in element content and in attribute
// values quoted with either quote. Pure: thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace rubrica {

/// `text` with & < > " ' written as &amp; &lt; &gt; &quot; &#39;; every other byte (UTF-8
/// included) as it is. The result is well-formed XML character data and HTML text.
std::string EscapeMarkup(std::string_view text);

}  // namespace rubrica
