#include "rubrica/base/markup.h"

#include <gtest/gtest.h>

namespace rubrica {
namespace {

TEST(EscapeMarkupTest, EscapesWhatEndsTextOrAttributesAndKeepsTheRest) {
  struct Case {
    const char* text;
    const char* expected;
  };
  const Case cases[] = {
      {"", ""},
      {"Acta de instalación del STM de Zamora", "Acta de instalación del STM de Zamora"},
      {"Datos & <Transparencia>", "Datos &amp; &lt;Transparencia&gt;"},
      {"\"Zamora\" o 'Jacona'", "&quot;Zamora&quot; o &#39;Jacona&#39;"},
      // An entity already written is escaped again: the text is shown as it was given.
      {"&amp;", "&amp;amp;"},
      {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
      {"«Núñez» — 16 de marzo", "«Núñez» — 16 de marzo"},
  };
  for (const Case& c : cases) EXPECT_EQ(EscapeMarkup(c.text), c.expected) << c.text;
}

}  // namespace
}  // namespace rubrica
