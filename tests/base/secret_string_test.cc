#include "rubrica/base/secret_string.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace rubrica {
namespace {

// True when none of the `n` bytes at `p` is a digit of the PINs used here.
bool NoTraceOfPin(const char* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] == '1' || p[i] == '3' || p[i] == '5' || p[i] == '7' || p[i] == '9') return false;
  }
  return true;
}

TEST(SecretStringTest, TakingAStringWipesItsWholeBuffer) {
  for (std::string pin : {std::string("135790"), std::string(64, '7') + "135790"}) {
    SCOPED_TRACE(pin.size());
    const char* buffer = pin.data();
    const size_t capacity = pin.capacity();
    const std::string expected = pin;
    SecretString secret(std::move(pin));
    EXPECT_EQ(secret.view(), expected);
    EXPECT_TRUE(pin.empty());  // NOLINT(bugprone-use-after-move): the contract says so
    // Same buffer (a clear() never reallocates): its every byte, tail included, was wiped.
    EXPECT_EQ(pin.data(), buffer);
    EXPECT_TRUE(NoTraceOfPin(buffer, capacity));
  }
}

TEST(SecretStringTest, KeepsTheBytesUntilWipedAndMovesWithoutCopying) {
  SecretString a = SecretString::Copy("135790");
  EXPECT_EQ(a.view(), "135790");
  const char* bytes = a.view().data();
  SecretString b(std::move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(a.view(), "");
  EXPECT_EQ(b.view().data(), bytes);  // the buffer changed hands; no copy was made
  SecretString c;
  c = std::move(b);
  EXPECT_EQ(c.view(), "135790");
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move)
  c.Wipe();
  EXPECT_TRUE(c.empty());
  EXPECT_EQ(c.view(), "");
}

}  // namespace
}  // namespace rubrica
