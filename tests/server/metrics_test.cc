// GET /metrics: read by Debian's python3-prometheus-client parser (not ours), from a real
// `rubrica serve` and from the API world, and its counters move with what happens.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <sstream>

#include "api_world.h"
#include "rubrica/base/files.h"
#include "support/test_support.h"

namespace rubrica::server::testing {
namespace {

using rubrica::testing::ChildProcess;
using rubrica::testing::CommandResult;
using rubrica::testing::RubricaBinary;
using rubrica::testing::RunCommand;
using rubrica::testing::SourceDir;
using rubrica::testing::TempDir;

// sample name + "{" + sorted labels + "}" -> value, and family name -> type.
struct Scrape {
  std::map<std::string, double> samples;
  std::map<std::string, std::string> types;
  double Get(const std::string& key) const {
    auto it = samples.find(key);
    return it == samples.end() ? 0 : it->second;
  }
};

// Fetches /metrics and parses it with prometheus_client.
Scrape ScrapeMetrics(int port, const TempDir& dir) {
  Scrape s;
  Reply r = Client(port).Get("/metrics");
  EXPECT_EQ(r.status, 200) << Describe(r);
  EXPECT_EQ(r.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_TRUE(WriteFileAtomic(dir / "metrics.txt", r.body).ok());
  auto parsed = RunCommand({"/usr/bin/python3", SourceDir() + "/tests/server/parse_metrics.py", dir / "metrics.txt"});
  EXPECT_EQ(parsed.exit_code, 0) << parsed.err << "\n" << r.body;
  std::istringstream lines(parsed.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream f(line);
    std::string type, name, labels, value;
    std::getline(f, type, '\t');
    std::getline(f, name, '\t');
    std::getline(f, labels, '\t');
    std::getline(f, value, '\t');
    s.samples[name + "{" + labels + "}"] = std::stod(value);
    s.types[name] = type;
  }
  return s;
}

TEST(MetricsTest, ARealServeExposesCountersThePrometheusParserReadsAndTheyMove) {
  TempDir dir;
  ChildProcess serve;
  ASSERT_TRUE(serve.Start({RubricaBinary(), "serve", "--data-dir", dir / "data", "--port", "0"}));
  const std::string started = serve.WaitForLine("server.started", 120);
  ASSERT_FALSE(started.empty()) << serve.output();
  const size_t at = started.find("\"port\":");
  ASSERT_NE(at, std::string::npos) << started;
  const int port = std::stoi(started.substr(at + 7));

  Scrape before = ScrapeMetrics(port, dir);
  EXPECT_EQ(before.types["rubrica_signatures_total"], "counter");
  EXPECT_EQ(before.types["rubrica_unlock_failures_total"], "counter");
  EXPECT_EQ(before.types["rubrica_outbox_messages"], "gauge");
  EXPECT_EQ(before.Get("rubrica_signatures_total{kind=rubric}"), 0);
  EXPECT_EQ(before.samples.count("rubrica_backup_last_success_timestamp_seconds{}"), 0u);

  for (int i = 0; i < 3; ++i) EXPECT_EQ(Client(port).Get("/healthz").status, 200);
  EXPECT_EQ(Client(port).Get("/api/actas/12345/no-such-thing").status, 404);
  CommandResult backup =
      RunCommand({RubricaBinary(), "backup", "--data-dir", dir / "data", "--to", dir / "b.tar"});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;

  Scrape after = ScrapeMetrics(port, dir);
  EXPECT_EQ(after.types["rubrica_http_requests_total"], "counter");
  EXPECT_EQ(after.types["rubrica_http_request_duration_seconds_bucket"], "histogram");
  EXPECT_EQ(after.Get("rubrica_http_requests_total{method=GET,route=/healthz,status=200}"),
            before.Get("rubrica_http_requests_total{method=GET,route=/healthz,status=200}") + 3);
  EXPECT_EQ(after.Get("rubrica_http_request_duration_seconds_count{method=GET,route=/healthz}"), 3);
  EXPECT_EQ(after.Get("rubrica_http_request_duration_seconds_bucket{le=+Inf,method=GET,route=/healthz}"), 3);
  EXPECT_EQ(after.Get("rubrica_http_requests_total{method=GET,route=/metrics,status=200}"), 1);
  // The unknown path is counted under no route, never under its raw path.
  EXPECT_EQ(after.Get("rubrica_http_requests_total{method=GET,route=(none),status=404}"), 1);
  for (const auto& [key, value] : after.samples) EXPECT_EQ(key.find("no-such-thing"), std::string::npos) << key;
  const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  const double backup_at = after.Get("rubrica_backup_last_success_timestamp_seconds{}");
  EXPECT_GT(backup_at, now - 300);
  EXPECT_LE(backup_at, now + 1);
  // Without smtp.host every mail is delivered as one .eml file: the sent messages are what
  // the folder holds.
  EXPECT_EQ(after.Get("rubrica_outbox_messages{state=sent}"),
            static_cast<double>(ListFilesRecursive(dir / "data/outbox").size()));
  EXPECT_EQ(after.Get("rubrica_outbox_messages{state=dead}"), 0);
  serve.Signal(SIGTERM);
  EXPECT_EQ(serve.Wait(60), 0);
}

TEST(MetricsTest, SignaturesWrongPinsAndVerificationsMoveTheirCounters) {
  ApiWorld w;
  w.AdvanceTo(Stage::kRubric);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  TempDir dir;
  const std::string a = "/api/actas/" + std::to_string(w.acta);
  Scrape before = ScrapeMetrics(w.port(), dir);
  const double outbox_before = before.Get("rubrica_outbox_messages{state=sent}");
  EXPECT_GT(outbox_before, 0);  // the members' invitations

  Reply wrong = w.As("titular").Post(a + "/rubric", "{\"pin\":\"000000\"}");
  EXPECT_EQ(wrong.Code(), "keys.wrong_pin") << Describe(wrong);
  for (const auto& k : w.Signers()) {
    EXPECT_EQ(w.As(k).Post(a + "/rubric", "{\"pin\":" + Q(w.person(k).pin) + "}").status, 200);
  }
  Reply pdf = w.As("facilitator").Get(a + "/pdf");
  ASSERT_EQ(pdf.status, 200);
  Reply verified = w.As("facilitator").Send("POST", "/api/verify", pdf.body, "application/pdf");
  EXPECT_EQ(verified.status, 200) << Describe(verified);

  Scrape after = ScrapeMetrics(w.port(), dir);
  EXPECT_EQ(after.Get("rubrica_signatures_total{kind=rubric}"), before.Get("rubrica_signatures_total{kind=rubric}") + 4);
  EXPECT_EQ(after.Get("rubrica_signatures_total{kind=foot}"), before.Get("rubrica_signatures_total{kind=foot}"));
  EXPECT_EQ(after.Get("rubrica_unlock_failures_total{}"), before.Get("rubrica_unlock_failures_total{}") + 1);
  EXPECT_EQ(after.Get("rubrica_verifications_total{status=200}"), before.Get("rubrica_verifications_total{status=200}") + 1);
  EXPECT_EQ(after.Get("rubrica_http_requests_total{method=POST,route=/api/actas/{acta_id}/rubric,status=200}"), 4);
  EXPECT_EQ(after.Get("rubrica_http_requests_total{method=POST,route=/api/actas/{acta_id}/rubric,status=422}"), 1);
  EXPECT_GT(after.Get("rubrica_audit_entries{}"), before.Get("rubrica_audit_entries{}"));
}

}  // namespace
}  // namespace rubrica::server::testing
