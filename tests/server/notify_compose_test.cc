// The messages themselves: MIME structure, header injection, iCalendar folding and
// escaping, judged by Python's email and icalendar packages (not ours).
#include <gtest/gtest.h>

#include "notify/icalendar.h"
#include "notify/mail_compose.h"
#include "notify/webhooks.h"
#include "rubrica/base/files.h"
#include "support/test_support.h"

namespace rubrica::server::notify {
namespace {

using namespace std::chrono;

const Instant kStart = sys_days(2026y / 2 / 16) + hours(16);

CalendarEvent Event() {
  CalendarEvent e;
  e.uid = "session-7-1@rubrica";
  e.sequence = 1;
  e.starts_at = kStart;
  e.stamp = sys_days(2026y / 1 / 26) + hours(15);
  e.summary = "Sesión ordinaria — Secretariado Técnico Municipal de Gobierno Abierto de Villa Esperanza";
  e.location = "Sala de Cabildo; Palacio Municipal, planta alta";
  e.description = "Orden del día:\n1. Lista de asistencia\n2. Avance del plan de acción";
  e.organizer = {"Secretariado \"Villa\"", "no-responder@rubrica.invalid"};
  e.attendees = {{"Mariana Ortiz Leyva", "mariana.ortiz@villa-esperanza.example"}};
  return e;
}

TEST(CalendarTest, FoldsEveryLineAt75OctetsWithoutSplittingACharacter) {
  const std::string ics = RenderCalendar(Event());
  size_t start = 0;
  while (start < ics.size()) {
    const size_t end = ics.find("\r\n", start);
    ASSERT_NE(end, std::string::npos) << "every line ends in CRLF";
    EXPECT_LE(end - start, 75u) << ics.substr(start, end - start);
    // A continuation line never starts inside a UTF-8 sequence.
    if (start > 0 && ics[start] == ' ' && start + 1 < ics.size()) {
      EXPECT_NE(static_cast<unsigned char>(ics[start + 1]) & 0xC0, 0x80);
    }
    start = end + 2;
  }
  EXPECT_EQ(ics.find('\n', 0) , ics.find("\r\n") + 1);
}

TEST(CalendarTest, EscapesTextValues) {
  EXPECT_EQ(CalendarText("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
}

TEST(MailComposeTest, NamesAndSubjectsCannotInjectHeaders) {
  MailContent c;
  c.to = "ana@example.invalid";
  c.to_name = "Ana\r\nBcc: victim@example.invalid";
  c.subject = "Hola\r\nBcc: victim@example.invalid";
  c.text = "Texto";
  auto m = ComposeMail(c, "Rúbrica <no-responder@rubrica.invalid>", "mail:1", kStart);
  ASSERT_TRUE(m.ok());
  const std::string headers = m->substr(0, m->find("\r\n\r\n") + 2);
  EXPECT_EQ(headers.find("\r\nBcc:"), std::string::npos) << headers;
  EXPECT_NE(headers.find("Subject: Hola  Bcc: victim@example.invalid\r\n"), std::string::npos) << headers;
  c.to = "ana@example.invalid\r\nBcc: victim@example.invalid";
  auto bad = ComposeMail(c, "x <a@b.invalid>", "mail:2", kStart);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), "notify.bad_address");
  for (const char* a : {"", "ana", "a@b@c", "Ana <ana@example.invalid>", "a b@example.invalid",
                        "a@example.invalid,b@example.invalid"}) {
    EXPECT_FALSE(IsPlainAddress(a)) << a;
  }
  EXPECT_TRUE(IsPlainAddress("mariana.ortiz@villa-esperanza.example"));
}

TEST(MailComposeTest, PythonReadsTextHtmlAndACancellationItsIcalendarParses) {
  rubrica::testing::TempDir dir;
  MailContent c;
  c.to = "mariana.ortiz@villa-esperanza.example";
  c.to_name = "Mariana Ortiz Leyva";
  c.subject = "Cancelación: sesión ordinaria del 16 de febrero de 2026";
  c.text = "Se canceló la sesión <b>\"ordinaria\"</b> & más.\n\nSegundo párrafo.\n";
  c.link = "http://127.0.0.1:8080/secretariados/1";
  CalendarEvent e = Event();
  e.cancelled = true;
  c.calendar = RenderCalendar(e);
  c.calendar_method = "CANCEL";
  auto m = ComposeMail(c, "Rúbrica <no-responder@rubrica.invalid>", "mail:audit-9:person-3", kStart);
  ASSERT_TRUE(m.ok());
  ASSERT_TRUE(WriteFileAtomic(dir / "m.eml", *m).ok());
  const std::string script = R"PY(
import email, email.policy, sys
from datetime import timezone
import icalendar
msg = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print("subject=" + str(msg["Subject"]))
print("to=" + str(msg["To"]))
print("id=" + str(msg["Message-ID"]))
print("type=" + msg.get_content_type())
for part in msg.walk():
    ct = part.get_content_type()
    if ct == "text/plain":
        print("plain=" + part.get_content().replace("\n", "|"))
    elif ct == "text/html":
        print("html=" + part.get_content().replace("\n", ""))
    elif ct == "text/calendar":
        print("method_param=" + str(part.get_param("method")))
        cal = icalendar.Calendar.from_ical(part.get_payload(decode=True))
        ev = cal.walk("VEVENT")[0]
        print("method=" + str(cal["METHOD"]))
        print("status=" + str(ev["STATUS"]))
        print("sequence=" + str(ev["SEQUENCE"]))
        print("uid=" + str(ev["UID"]))
        print("start=" + ev.decoded("DTSTART").astimezone(timezone.utc).isoformat())
        print("location=" + str(ev["LOCATION"]))
        print("summary=" + str(ev["SUMMARY"]))
        print("organizer_cn=" + str(ev["ORGANIZER"].params["CN"]))
)PY";
  ASSERT_TRUE(WriteFileAtomic(dir / "check.py", script).ok());
  auto r = rubrica::testing::RunCommand({"/usr/bin/python3", dir / "check.py", dir / "m.eml"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto has = [&](const std::string& line) { return r.out.find(line + "\n") != std::string::npos; };
  EXPECT_TRUE(has("subject=Cancelación: sesión ordinaria del 16 de febrero de 2026")) << r.out;
  EXPECT_TRUE(has("to=Mariana Ortiz Leyva <mariana.ortiz@villa-esperanza.example>")) << r.out;
  EXPECT_TRUE(has("id=<mail.audit-9.person-3@rubrica>")) << r.out;
  EXPECT_TRUE(has("type=multipart/alternative")) << r.out;
  EXPECT_NE(r.out.find("plain=Se canceló la sesión <b>\"ordinaria\"</b> & más.||Segundo párrafo.|"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Abrir en Rúbrica: http://127.0.0.1:8080/secretariados/1"), std::string::npos);
  // The HTML part shows the text, escaped: no markup from the text reaches it.
  EXPECT_NE(r.out.find("&lt;b&gt;&quot;ordinaria&quot;&lt;/b&gt; &amp; más."), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("<b>\"ordinaria\"</b> &amp;"), std::string::npos);
  EXPECT_TRUE(has("method_param=CANCEL")) << r.out;
  EXPECT_TRUE(has("method=CANCEL")) << r.out;
  EXPECT_TRUE(has("status=CANCELLED")) << r.out;
  EXPECT_TRUE(has("sequence=1")) << r.out;
  EXPECT_TRUE(has("uid=session-7-1@rubrica")) << r.out;
  EXPECT_TRUE(has("start=2026-02-16T16:00:00+00:00")) << r.out;
  EXPECT_TRUE(has("location=Sala de Cabildo; Palacio Municipal, planta alta")) << r.out;
  EXPECT_TRUE(has("summary=Sesión ordinaria — Secretariado Técnico Municipal de Gobierno Abierto de Villa Esperanza")) << r.out;
  EXPECT_TRUE(has("organizer_cn=Secretariado Villa")) << r.out;
}

TEST(WebhookUrlTest, RefusesWhatAnAttackerWouldPointTheServiceAt) {
  const WebhookPolicy strict;
  const WebhookPolicy tests{true, false};
  struct Case {
    const char* url;
    const WebhookPolicy& policy;
    bool ok;
  } cases[] = {
      {"http://127.0.0.1:9000/hook", strict, false},     // http needs the test flag
      {"http://127.0.0.1:9000/hook", tests, true},       // ... and loopback
      {"http://10.1.2.3/hook", tests, false},            // http elsewhere: never
      {"https://10.1.2.3/hook", strict, false},          // private
      {"https://192.168.1.1/hook", strict, false},       // private
      {"https://172.16.0.1/hook", strict, false},        // private
      {"https://169.254.169.254/latest", strict, false}, // link-local (cloud metadata)
      {"https://[::1]/hook", strict, false},             // loopback
      {"https://[fd00::1]/hook", strict, false},         // unique local
      {"https://[::ffff:10.0.0.1]/hook", strict, false}, // IPv4-mapped private
      {"https://100.64.0.1/hook", strict, false},        // shared address space
      {"https://0.0.0.0/hook", strict, false},           // wildcard
      {"https://user:pw@93.184.216.34/", strict, false}, // credentials in the URL
      {"ftp://93.184.216.34/", strict, false},           // scheme
      {"https://93.184.216.34/hook", strict, true},      // a public address
  };
  for (const auto& c : cases) {
    Status s = ValidateWebhookUrl(c.url, c.policy);
    EXPECT_EQ(s.ok(), c.ok) << c.url << ": " << s.ToString();
    if (!s.ok()) {
      EXPECT_EQ(s.code(), "notify.bad_webhook_url") << c.url;
    }
  }
}

TEST(WebhookSignatureTest, IsHmacSha256OfTimestampDotBody) {
  // Known answer, computed independently:
  //   printf '1767225600.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
  const Instant t = sys_days(2026y / 1 / 1);
  rubrica::testing::TempDir dir;
  auto r = rubrica::testing::RunCommand(
      {"/bin/sh", "-c", "printf '%s' '1767225600.{\"a\":1}' | openssl dgst -sha256 -hmac whsec_test -r"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string hex = r.out.substr(0, 64);
  EXPECT_EQ(WebhookSignature("whsec_test", t, "{\"a\":1}"), "t=1767225600,v1=" + hex);
}

TEST(MailComposeTest, AnAttachmentTravelsBase64InMultipartMixedAndPythonReadsBackTheSameBytes) {
  rubrica::testing::TempDir dir;
  MailContent c;
  c.to = "recepcion.paquetes@transparencia-prueba.example";
  c.subject = "Paquete mensual de actas de febrero de 2026";
  c.text = "Se adjunta el paquete.\n";
  std::string bytes;
  for (int i = 0; i < 5000; ++i) bytes += static_cast<char>((i * 131) % 256);  // NULs, CR, LF, '.'
  c.attachments.push_back({"paquete-3-2026-02\".zip", "application/zip", bytes});
  auto m = ComposeMail(c, "Rúbrica <no-responder@rubrica.invalid>", "agency:abc", kStart);
  ASSERT_TRUE(m.ok());
  ASSERT_TRUE(WriteFileAtomic(dir / "m.eml", *m).ok());
  // Without attachments the message is what it always was: multipart/alternative.
  c.attachments.clear();
  auto plain = ComposeMail(c, "Rúbrica <no-responder@rubrica.invalid>", "agency:abc", kStart);
  ASSERT_TRUE(plain.ok());
  EXPECT_NE(plain->find("\r\nContent-Type: multipart/alternative;"), std::string::npos);
  EXPECT_EQ(plain->find("multipart/mixed"), std::string::npos);
  const std::string script = R"PY(
import email, email.policy, sys
msg = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print("type=" + msg.get_content_type())
print("plain=" + msg.get_body(preferencelist=("plain",)).get_content().strip())
for a in msg.iter_attachments():
    print("attachment=" + a.get_content_type() + " " + a.get_filename() + " " + str(a.get_content_disposition()))
    open(sys.argv[2], "wb").write(a.get_content())
)PY";
  ASSERT_TRUE(WriteFileAtomic(dir / "check.py", script).ok());
  auto r = rubrica::testing::RunCommand({"/usr/bin/python3", dir / "check.py", dir / "m.eml", dir / "out.bin"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("type=multipart/mixed\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("plain=Se adjunta el paquete.\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("attachment=application/zip paquete-3-2026-02_.zip attachment\n"), std::string::npos)
      << r.out;
  auto back = ReadFile(dir / "out.bin", 1 << 20);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, bytes);
  for (size_t at = 0, nl; (nl = m->find("\r\n", at)) != std::string::npos; at = nl + 2) {
    ASSERT_LE(nl - at, 998u) << "SMTP's line limit";
  }
}

}  // namespace
}  // namespace rubrica::server::notify
