#include "rubrica/base/status.h"

#include <gtest/gtest.h>

namespace rubrica {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) {
    return Status::Error(ErrorKind::kInvalidArgument, "test.odd", "odd number " + std::to_string(x),
                         "Número impar");
  }
  return x / 2;
}

Result<int> Quarter(int x) {
  ASSIGN_OR_RETURN(int h, Half(x));
  ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(StatusTest, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(StatusTest, ErrorCarriesCodeAndBothLanguages) {
  Status s = Status::Error(ErrorKind::kRejected, "keys.wrong_pin", "wrong PIN for key 3",
                           "El PIN no es correcto.");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), "keys.wrong_pin");
  EXPECT_EQ(s.message(), "wrong PIN for key 3");
  EXPECT_EQ(s.message_es(), "El PIN no es correcto.");
  EXPECT_EQ(HttpStatusFor(s.kind()), 422);
}

TEST(StatusTest, SpanishFallbackPerKind) {
  Status s = Status::Error(ErrorKind::kNotFound, "x.missing", "no such thing");
  EXPECT_EQ(s.message_es(), "No se encontró lo solicitado.");
}

TEST(StatusTest, WithContextPrefixesEnglishOnly) {
  Status s = Status::Error(ErrorKind::kIoError, "base.io_error", "read failed", "Error");
  Status c = s.WithContext("blob 12");
  EXPECT_EQ(c.message(), "blob 12: read failed");
  EXPECT_EQ(c.message_es(), "Error");
  EXPECT_EQ(c.code(), "base.io_error");
}

TEST(StatusTest, HttpMappingIsStable) {
  struct Case {
    ErrorKind kind;
    int http;
  } cases[] = {{ErrorKind::kInvalidArgument, 400}, {ErrorKind::kUnauthenticated, 401},
               {ErrorKind::kPermissionDenied, 403}, {ErrorKind::kNotFound, 404},
               {ErrorKind::kConflict, 409},         {ErrorKind::kTooLarge, 413},
               {ErrorKind::kRejected, 422},         {ErrorKind::kRateLimited, 429},
               {ErrorKind::kUnavailable, 503},      {ErrorKind::kInternal, 500}};
  for (const auto& c : cases) EXPECT_EQ(HttpStatusFor(c.kind), c.http) << ErrorKindName(c.kind);
}

TEST(ResultTest, PropagatesErrorsThroughMacros) {
  auto ok = Quarter(12);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 3);
  auto bad = Quarter(6);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), "test.odd");
  EXPECT_EQ(bad.status().message(), "odd number 3");
}

TEST(ResultTest, OkStatusWithoutValueBecomesInternalError) {
  Result<int> r{Status::Ok()};
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), ErrorKind::kInternal);
}

}  // namespace
}  // namespace rubrica

namespace rubrica {
namespace {

TEST(StatusTest, RetryAfterTravelsWithTheStatusThroughContext) {
  Status plain = Status::Error(ErrorKind::kRateLimited, "x.limited", "limited");
  EXPECT_FALSE(plain.retry_after().has_value());
  Status s = plain.WithRetryAfter(std::chrono::seconds(30)).WithContext("login");
  ASSERT_TRUE(s.retry_after().has_value());
  EXPECT_EQ(*s.retry_after(), std::chrono::seconds(30));
  EXPECT_EQ(s.message(), "login: limited");
  Result<int> r(s);
  EXPECT_EQ(r.status().retry_after(), std::chrono::seconds(30));
}

}  // namespace
}  // namespace rubrica
