// The co-signature of the monthly package reaches its people (docs/delivery.md,
// "Co-signature"), on the real service with its real outbox delivering through a real SMTP
// server (Debian's python3-aiosmtpd, peers/smtp_sink.py); what arrived is read with Python's
// email package, code Rubrica did not write.
//   - When the service builds the month's draft by itself, the configured co-signer is asked,
//     in Spanish, once per draft: which secretariat and month, the deadline, how to co-sign
//     (the command and the two routes), no secret.
//   - The administrator changes the setting: garante -> facilitator withdraws the draft (the
//     garante's prepared ticket no longer finalizes), builds one for the facilitator and asks
//     them; the late notice says that the co-signature is what is missing; facilitator ->
//     none withdraws it again and the sealed package goes to the agency by itself; back to
//     garante applies to packages built from then on; a change the service did not follow
//     through is caught up by its producer. Every change is in the audit log.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "api_world.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/delivery/package_zip.h"
#include "rubrica/store/blob_store.h"
#include "smtp_sink.h"

namespace rubrica::server::testing {
namespace {

using rubrica::testing::CommandResult;
using rubrica::testing::RunCommand;
using rubrica::testing::SplitFields;
using rubrica::testing::TempDir;
using rubrica::testing::WaitUntil;

constexpr const char* kAgencyMail = "recepcion.paquetes@transparencia-prueba.example";

struct Mail {
  std::string to, subject, message_id, body;
};

// Every message the sink received, parsed by Python's email package.
std::vector<Mail> Mails(const SmtpSink& sink) {
  const char* script =
      "import email, email.policy, sys\n"
      "for f in sys.argv[1:]:\n"
      "    m = email.message_from_binary_file(open(f, 'rb'), policy=email.policy.default)\n"
      "    body = m.get_body(preferencelist=('plain',)).get_content()\n"
      "    print(m['To'].addresses[0].addr_spec + '\\x1f' + str(m['Subject']) + '\\x1f' + str(m['Message-ID']) +\n"
      "          '\\x1f' + body.replace('\\n', '\\x1e'))\n";
  std::vector<std::string> argv = {kPython, "-c", script};
  for (const auto& f : sink.Files()) argv.push_back(f);
  CommandResult r = RunCommand(argv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<Mail> out;
  size_t at = 0;
  for (size_t nl; (nl = r.out.find('\n', at)) != std::string::npos; at = nl + 1) {
    auto f = SplitFields(r.out.substr(at, nl - at), '\x1f');
    if (f.size() != 4) continue;
    std::string body = f[3];
    for (char& ch : body) ch = ch == '\x1e' ? '\n' : ch;
    out.push_back({f[0], f[1], f[2], body});
  }
  return out;
}

std::vector<Mail> WithSubject(const std::vector<Mail>& mails, const std::string& prefix) {
  std::vector<Mail> out;
  for (const auto& m : mails) {
    if (m.subject.rfind(prefix, 0) == 0) out.push_back(m);
  }
  return out;
}

TEST(PackageCosignNoticeTest, TheCosignerIsAskedOnceAndAChangedSettingReaddressesTheDraft) {
  TempDir tmp;
  SmtpSink sink(tmp / "smtp");
  const int port = sink.Start();
  ASSERT_GT(port, 0);
  WorldOptions o;
  o.agency_address = std::string("mailto:") + kAgencyMail;  // the service builds the month by itself
  o.package_cosigner = "garante";
  ApiWorld w(o);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  w.AdvanceTo(Stage::kFootSignature);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  w.UseSmtp(port);  // from here on, mail goes through the SMTP server
  w.AdvanceTo(Stage::kArchived);  // the minute of 2026-02-16: the month is complete
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const std::string sid = std::to_string(w.secretariat);
  const std::string base = "/api/secretariats/" + sid + "/packages";
  const std::string kRequest = "Cofirma pendiente: paquete mensual de febrero de 2026";

  // 1. The service builds the draft by itself and asks the garante, once.
  ASSERT_TRUE(WaitUntil([&] { return WithSubject(Mails(sink), kRequest).size() >= 1; }, 120,
                        [&] { w.clock().Advance(std::chrono::seconds(30)); }))
      << Sql(w, "SELECT id, state, last_error FROM outbox_messages WHERE channel = 'mail';");
  Reply month = w.As("garante").Get(base + "?month=2026-02");
  ASSERT_EQ(month.Size("packages"), 1) << month.body;
  EXPECT_EQ(month.Str("packages[0].state"), "awaiting_cosignature");
  EXPECT_EQ(month.Str("packages[0].cosigner.role"), "garante");
  const std::string draft = month.Str("packages[0].sha256");
  std::vector<Mail> asked = WithSubject(Mails(sink), kRequest);
  ASSERT_EQ(asked.size(), 1u);
  const Mail& m = asked[0];
  EXPECT_EQ(m.to, w.person("garante").email);
  EXPECT_NE(m.subject.find("Villa Esperanza"), std::string::npos) << m.subject;
  EXPECT_NE(m.body.find("Julián Cárdenas Vela:\n"), std::string::npos) << "greeted by name: " << m.body;
  EXPECT_NE(m.body.find("espera su cofirma como garante"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("Fecha límite de entrega: 28 de febrero de 2026"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("America/Mexico_City"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("paquete-" + sid + "-2026-02.zip, 1 acta"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("rubrica sign --server"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("--secretariat " + sid + " --package " + draft), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("POST " + base + "/" + draft + "/cosign/prepare"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find(base + "/" + draft + "/cosign/finalize"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("/secretariados/" + sid), std::string::npos) << "the page: " << m.body;
  for (const auto& secret : {w.person("garante").password, w.person("garante").pin}) {
    if (!secret.empty()) {
      EXPECT_EQ(m.body.find(secret), std::string::npos) << "no secret in the notice";
    }
  }
  EXPECT_EQ(m.body.find("ticket"), std::string::npos) << m.body;
  // Recorded like every notice (the secretariat's notifications).
  Reply listed = w.As("facilitator").Get("/api/secretariats/" + sid + "/notifications?kind=package.cosign_requested");
  ASSERT_EQ(listed.status, 200) << Describe(listed);
  ASSERT_EQ(listed.Size("notifications"), 1) << listed.body;
  EXPECT_EQ(listed.Str("notifications[0].recipient.full_name"), "Julián Cárdenas Vela");
  EXPECT_EQ(listed.Str("notifications[0].subject"), m.subject);
  // The producer runs again and again: no new draft, no second notice.
  for (int i = 0; i < 6; ++i) {
    w.clock().Advance(std::chrono::minutes(3));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  EXPECT_EQ(w.As("garante").Get(base + "?month=2026-02").Size("packages"), 1);
  EXPECT_EQ(WithSubject(Mails(sink), kRequest).size(), 1u) << "one notice per draft";

  // 2. The garante prepares a co-signature from their device...
  Reply reg = w.As("garante").Post(
      "/api/me/credentials/external",
      "{\"certificate\":" + Q(Base64Encode(w.garante_device().cer_der)) + ",\"current_pin\":" +
          Q(w.person("garante").pin) + "}");
  ASSERT_EQ(reg.status, 201) << Describe(reg);
  Reply prepared = w.As("garante").Post(base + "/" + draft + "/cosign/prepare");
  ASSERT_EQ(prepared.status, 201) << Describe(prepared);
  auto signed_info = Base64Decode(prepared.Str("signed_info"));
  ASSERT_TRUE(signed_info.ok());

  // ...when the administrator makes the facilitator the co-signer: the draft is withdrawn
  // and rebuilt for the facilitator, who is asked in turn.
  EXPECT_EQ(w.As("facilitator").Post("/api/secretariats/" + sid + "/package-cosigner",
                                     R"({"package_cosigner":"facilitator"})")
                .status,
            403);
  Reply to_facilitator =
      w.As("admin").Post("/api/secretariats/" + sid + "/package-cosigner", R"({"package_cosigner":"facilitator"})");
  ASSERT_EQ(to_facilitator.status, 200) << Describe(to_facilitator);
  EXPECT_EQ(to_facilitator.Str("package_cosigner"), "facilitator");
  ASSERT_EQ(to_facilitator.Size("readdressed"), 1) << to_facilitator.body;
  EXPECT_EQ(to_facilitator.Str("readdressed[0].withdrawn"), draft);
  EXPECT_EQ(to_facilitator.Str("readdressed[0].package.state"), "awaiting_cosignature");
  EXPECT_EQ(to_facilitator.Str("readdressed[0].package.cosigner.role"), "facilitator");
  const std::string draft2 = to_facilitator.Str("readdressed[0].package.sha256");
  EXPECT_NE(draft2, draft);
  EXPECT_EQ(w.As("garante").Get("/api/secretariats/" + sid).Str("package_cosigner"), "facilitator");
  // The garante's prepared ticket no longer finalizes anything; the new draft is not theirs.
  Reply stale = w.As("garante").Post(base + "/" + draft + "/cosign/finalize",
                                     "{\"ticket\":" + Q(prepared.Str("ticket")) + ",\"signature\":" +
                                         Q(Base64Encode(ApiWorld::DeviceSign(*signed_info, w.garante_device()))) +
                                         "}");
  EXPECT_EQ(stale.status, 409) << Describe(stale);
  EXPECT_EQ(stale.Code(), "delivery.draft_withdrawn");
  EXPECT_NE(stale.Str("error.message").find(draft2), std::string::npos) << Describe(stale);
  Reply send_withdrawn = w.As("facilitator").Post(base + "/" + draft + "/send");
  EXPECT_EQ(send_withdrawn.status, 409) << Describe(send_withdrawn);
  EXPECT_EQ(send_withdrawn.Code(), "delivery.draft_withdrawn");
  Reply not_theirs = w.As("garante").Post(base + "/" + draft2 + "/cosign/prepare");
  EXPECT_EQ(not_theirs.status, 403) << Describe(not_theirs);
  EXPECT_EQ(not_theirs.Code(), "delivery.not_the_cosigner");
  month = w.As("garante").Get(base + "?month=2026-02");
  ASSERT_EQ(month.Size("packages"), 2) << month.body;
  EXPECT_EQ(month.Str("packages[0].state"), "withdrawn");
  EXPECT_EQ(month.Str("packages[0].replaced_by"), draft2);
  EXPECT_EQ(month.Str("packages[1].sha256"), draft2);
  ASSERT_TRUE(WaitUntil([&] { return WithSubject(Mails(sink), kRequest).size() >= 2; }, 120,
                        [&] { w.clock().Advance(std::chrono::seconds(10)); }));
  asked = WithSubject(Mails(sink), kRequest);
  ASSERT_EQ(asked.size(), 2u);
  const Mail& to_paula = asked[0].to == w.person("facilitator").email ? asked[0] : asked[1];
  EXPECT_EQ(to_paula.to, w.person("facilitator").email);
  EXPECT_NE(to_paula.body.find("espera su cofirma como facilitador"), std::string::npos) << to_paula.body;
  EXPECT_NE(to_paula.body.find("--package " + draft2), std::string::npos) << to_paula.body;

  // The garante, asked before, hears that the draft no longer waits for them.
  const std::string kWithdrawn = "Ya no se requiere su cofirma: paquete mensual de febrero de 2026";
  ASSERT_TRUE(WaitUntil([&] { return WithSubject(Mails(sink), kWithdrawn).size() >= 1; }, 120,
                        [&] { w.clock().Advance(std::chrono::seconds(10)); }));
  std::vector<Mail> released = WithSubject(Mails(sink), kWithdrawn);
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0].to, w.person("garante").email);
  EXPECT_NE(released[0].body.find("Ahora lo cofirma el facilitador del secretariado."), std::string::npos)
      << released[0].body;
  EXPECT_NE(released[0].body.find(draft), std::string::npos) << released[0].body;

  // 3. The month's last day passes with the draft unsigned: the late notice, to the
  // facilitator and the garante, says the co-signature is what is missing, and whose.
  w.SetClock(ApiWorld::Local(2026, 3, 2, 9));
  const std::string kLate = "Entrega vencida (falta la cofirma): ";
  ASSERT_TRUE(WaitUntil([&] { return WithSubject(Mails(sink), kLate).size() >= 2; }, 120,
                        [&] { w.clock().Advance(std::chrono::seconds(10)); }))
      << Sql(w, "SELECT id, state, subject FROM outbox_messages WHERE event = 'delivery.late';");
  std::vector<Mail> late = WithSubject(Mails(sink), kLate);
  ASSERT_EQ(late.size(), 2u);
  std::set<std::string> late_to = {late[0].to, late[1].to};
  EXPECT_EQ(late_to, (std::set<std::string>{w.person("facilitator").email, w.person("garante").email}));
  EXPECT_NE(late[0].body.find("la cofirma del facilitador (Paula Esquivel Rangel): sin ella no se sella ni se envía"),
            std::string::npos)
      << late[0].body;
  EXPECT_NE(late[0].body.find("Venció el 28 de febrero de 2026"), std::string::npos) << late[0].body;

  // 4. No co-signature any more: the draft is withdrawn again, the sealed package is built
  // in its place and goes to the agency by itself (here by e-mail), once.
  Reply to_none =
      w.As("admin").Post("/api/secretariats/" + sid + "/package-cosigner", R"({"package_cosigner":"none"})");
  ASSERT_EQ(to_none.status, 200) << Describe(to_none);
  ASSERT_EQ(to_none.Size("readdressed"), 1) << to_none.body;
  EXPECT_EQ(to_none.Str("readdressed[0].withdrawn"), draft2);
  EXPECT_EQ(to_none.Str("readdressed[0].package.state"), "built");
  EXPECT_EQ(to_none.Str("readdressed[0].send_error"), "");
  EXPECT_NE(to_none.body.find("\"cosigner\":null"), std::string::npos) << to_none.body;
  const std::string sealed = to_none.Str("readdressed[0].package.sha256");
  ASSERT_TRUE(WaitUntil([&] { return WithSubject(Mails(sink), "Paquete mensual de actas de febrero").size() >= 1; },
                        120, [&] { w.clock().Advance(std::chrono::seconds(10)); }))
      << Sql(w, "SELECT id, state, last_error FROM outbox_messages WHERE id LIKE 'agency:%';");
  std::vector<Mail> to_agency = WithSubject(Mails(sink), "Paquete mensual de actas de febrero");
  ASSERT_EQ(to_agency.size(), 1u);
  EXPECT_EQ(to_agency[0].to, kAgencyMail);
  EXPECT_EQ(to_agency[0].message_id, "<agency." + sealed + "@rubrica>");
  auto blobs = store::BlobStore::Open(w.data_dir() + "/blobs");
  ASSERT_TRUE(blobs.ok());
  auto zip = blobs->Get(sealed);
  ASSERT_TRUE(zip.ok()) << zip.status().ToString();
  auto entries = delivery::ReadZip(*zip);
  ASSERT_TRUE(entries.ok());
  for (const auto& e : *entries) {
    if (e.name != "manifest.xml") continue;
    EXPECT_EQ(e.bytes.find("<cofirma"), std::string::npos) << "sealed without a co-signature";
    EXPECT_NE(e.bytes.find("rubrica-sig-"), std::string::npos) << "sealed";
  }
  month = w.As("garante").Get(base + "?month=2026-02");
  ASSERT_EQ(month.Size("packages"), 3) << month.body;
  EXPECT_EQ(month.Str("packages[1].state"), "withdrawn");
  EXPECT_EQ(month.Str("packages[1].replaced_by"), sealed);
  EXPECT_EQ(month.Str("packages[2].supersedes"), "") << "drafts were never sent: nothing to supersede";

  // The facilitator hears that their co-signature is no longer needed.
  ASSERT_TRUE(WaitUntil([&] { return WithSubject(Mails(sink), kWithdrawn).size() >= 2; }, 120,
                        [&] { w.clock().Advance(std::chrono::seconds(10)); }));
  released = WithSubject(Mails(sink), kWithdrawn);
  ASSERT_EQ(released.size(), 2u);
  const Mail& released_paula = released[0].to == w.person("facilitator").email ? released[0] : released[1];
  EXPECT_EQ(released_paula.to, w.person("facilitator").email);
  EXPECT_NE(released_paula.body.find("El paquete ya no requiere cofirma: se selló y se envía al órgano garante."),
            std::string::npos)
      << released_paula.body;

  // 5. Back to the garante: nothing pending to re-address; the setting applies to the
  // packages built from now on (a correction, which supersedes the sealed package).
  Reply to_garante =
      w.As("admin").Post("/api/secretariats/" + sid + "/package-cosigner", R"({"package_cosigner":"garante"})");
  ASSERT_EQ(to_garante.status, 200) << Describe(to_garante);
  EXPECT_EQ(to_garante.Size("readdressed"), 0) << to_garante.body;
  Reply correction = w.As("facilitator").Post(base, R"({"month":"2026-02"})");
  ASSERT_EQ(correction.status, 201) << Describe(correction);
  EXPECT_EQ(correction.Str("state"), "awaiting_cosignature");
  EXPECT_EQ(correction.Str("cosigner.role"), "garante");
  EXPECT_EQ(correction.Str("supersedes"), sealed);

  // 6. A change the API did not follow through (the service stopped between the setting's
  // commit and the re-addressing; here written straight to the database while it is
  // down): the producer catches up by itself once the service runs again.
  w.StopService();
  CommandResult raw = RunCommand({"sqlite3", w.data_dir() + "/rubrica.db",
                                  "UPDATE wf_secretariat SET package_cosigner = 'facilitator' WHERE id = " + sid + ";"});
  ASSERT_EQ(raw.exit_code, 0) << raw.err;
  w.StartService();
  w.Relogin();
  const std::string correction_sha = correction.Str("sha256");
  ASSERT_TRUE(WaitUntil(
      [&] {
        Reply r = w.As("garante").Get(base + "?month=2026-02");
        return r.Size("packages") == 5 && r.Str("packages[3].state") == "withdrawn";
      },
      120, [&] { w.clock().Advance(std::chrono::seconds(30)); }))
      << w.As("garante").Get(base + "?month=2026-02").body;
  month = w.As("garante").Get(base + "?month=2026-02");
  EXPECT_EQ(month.Str("packages[3].sha256"), correction_sha);
  EXPECT_EQ(month.Str("packages[4].state"), "awaiting_cosignature");
  EXPECT_EQ(month.Str("packages[4].cosigner.role"), "facilitator");
  EXPECT_EQ(month.Str("packages[3].replaced_by"), month.Str("packages[4].sha256"));
  EXPECT_NE(Sql(w, "SELECT actor FROM audit_log WHERE action = 'package.withdraw' AND object_id = '" +
                       correction_sha + "';"),
            "")
      << "audited";

  // Every change is in the audit log, with its author.
  const std::string audit = Sql(
      w, "SELECT actor || ' ' || action || ' ' || object_id || ' ' || payload FROM audit_log WHERE action IN "
         "('secretariat.package_cosigner_set', 'package.withdraw') ORDER BY seq;");
  EXPECT_NE(audit.find("secretariat.package_cosigner_set " + sid + " {\"from\":\"garante\",\"to\":\"facilitator\"}"),
            std::string::npos)
      << audit;
  EXPECT_NE(audit.find("package.withdraw " + draft + " {\"replaced_by\":\"" + draft2 +
                       "\",\"cosigner_now\":\"facilitator\",\"cosigner_was\":\"garante\""),
            std::string::npos)
      << audit;
  EXPECT_NE(audit.find("package.withdraw " + draft2 + " {\"replaced_by\":\"" + sealed +
                       "\",\"cosigner_now\":\"none\",\"cosigner_was\":\"facilitator\""),
            std::string::npos)
      << audit;
  EXPECT_NE(audit.find("{\"from\":\"none\",\"to\":\"garante\"}"), std::string::npos) << audit;
}

}  // namespace
}  // namespace rubrica::server::testing
