// `rubrica keys ...`: the administrator's verbs over the keys module (enrol, imports, list,
// revoke, trust anchor and CRL export, reading an e.firma certificate).
//
// PINs and passwords never travel as command-line arguments (they would show in `ps` and
// shell history): each comes from --<name>-file FILE, --<name>-env VARIABLE, or, when
// neither is given, one line of stdin (password first, then PIN).
#include <iostream>
#include <optional>

#include "commands.h"
#include "keys_context.h"
#include "rubrica/base/clock.h"
#include "rubrica/base/crypto_util.h"
#include "rubrica/base/files.h"
#include "rubrica/base/json_writer.h"
#include "rubrica/keys/efirma.h"
#include "rubrica/keys/installation.h"
#include "rubrica/keys/key_store.h"
#include "rubrica/server/data_directory.h"

namespace rubrica::server::cli {

namespace {

Status Usage(const std::string& message) {
  return Status::Error(ErrorKind::kInvalidArgument, "cli.usage", message);
}

std::string Actor() {
  const auto env = ProcessEnvironment();
  auto it = env.find("USER");
  return "cli:" + (it != env.end() && !it->second.empty() ? it->second : std::string("admin"));
}

Result<Args> Parse(const std::vector<std::string>& argv, std::set<std::string> valued,
                   std::set<std::string> switches, size_t positional) {
  ArgSpec spec = CommonSpec();
  spec.valued.insert(valued.begin(), valued.end());
  spec.switches.insert(switches.begin(), switches.end());
  ASSIGN_OR_RETURN(Args args, ParseArgs(argv, spec));
  if (args.positional.size() != positional) {
    return Usage("expected " + std::to_string(positional) + " positional argument(s), got " +
                 std::to_string(args.positional.size()));
  }
  return args;
}

Status Require(const Args& args, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (!args.Has(n)) return Usage(std::string("missing ") + n);
  }
  return Status::Ok();
}

std::string Date(Instant t) { return FormatRfc3339Utc(t).substr(0, 10); }

void PrintCredential(const keys::Credential& c) {
  std::cout << "Credential " << c.id << " for " << c.holder_id << " ("
            << keys::CredentialOriginName(c.origin) << (c.external ? ", key on the holder's device" : "")
            << ")\n  subject: " << c.certificate.SubjectString() << "\n  serial:  " << c.certificate.SerialHex()
            << "\n  valid:   " << Date(c.certificate.NotBefore()) << " to " << Date(c.certificate.NotAfter())
            << std::endl;
}

std::string CredentialJson(const keys::Credential& c) {
  JsonWriter w;
  w.BeginObject()
      .Field("id", c.id)
      .Field("holder_id", c.holder_id)
      .Field("origin", keys::CredentialOriginName(c.origin))
      .Field("external", c.external)
      .Field("state", c.active() ? "active" : "revoked")
      .Field("subject", c.certificate.SubjectString())
      .Field("serial", c.certificate.SerialHex())
      .Field("sha256", c.certificate.FingerprintSha256())
      .Field("not_before", FormatRfc3339Utc(c.certificate.NotBefore()))
      .Field("not_after", FormatRfc3339Utc(c.certificate.NotAfter()))
      .Field("rfc", c.rfc)
      .Field("curp", c.curp);
  if (c.revocation) {
    w.Field("revoked_at", FormatRfc3339Utc(c.revocation->revoked_at))
        .Field("revocation_reason", keys::RevocationReasonName(c.revocation->reason));
  }
  return w.EndObject().Take();
}

// Writes `bytes` to --out, or to stdout.
Status Output(const Args& args, const std::string& bytes) {
  if (!args.Has("--out")) {
    std::cout << bytes << std::flush;
    return Status::Ok();
  }
  return WriteFileAtomic(args.Get("--out"), bytes);
}

std::string CrlPem(const std::string& der) {
  std::string b64 = Base64Encode(der);
  std::string pem = "-----BEGIN X509 CRL-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) pem += b64.substr(i, 64) + "\n";
  return pem + "-----END X509 CRL-----\n";
}

}  // namespace

int RunKeysEnrol(const std::vector<std::string>& argv) {
  auto args = Parse(argv, {"--holder", "--name", "--email", "--role", "--curp", "--rfc", "--from", "--until",
                           "--algorithm", "--pin-file", "--pin-env"}, {}, 0);
  if (!args.ok()) return Fail(args.status());
  if (Status s = Require(*args, {"--holder", "--name", "--email", "--role", "--until"}); !s.ok()) return Fail(s);
  keys::EnrolRequest request;
  request.holder_id = args->Get("--holder");
  request.subject.name = args->Get("--name");
  request.subject.email = args->Get("--email");
  request.subject.role = args->Get("--role");
  request.subject.curp = args->Get("--curp");
  request.subject.rfc = args->Get("--rfc");
  auto until = ParseRfc3339(args->Get("--until"));
  if (!until.ok()) return Fail(until.status().WithContext("--until"));
  request.subject.not_after = *until;
  if (args->Has("--algorithm")) {
    auto a = keys::ParseKeyAlgorithm(args->Get("--algorithm"));
    if (!a.ok()) return Fail(a.status());
    request.algorithm = *a;
  }
  auto pin = ReadSecret(*args, "pin", "signing PIN");
  if (!pin.ok()) return Fail(pin.status());
  auto ctx = OpenKeys(*args);
  if (!ctx.ok()) return Fail(ctx.status());
  request.subject.not_before = (*ctx)->clock.Now();
  if (args->Has("--from")) {
    auto from = ParseRfc3339(args->Get("--from"));
    if (!from.ok()) return Fail(from.status().WithContext("--from"));
    request.subject.not_before = *from;
  }
  auto c = (*ctx)->store->Enrol(request, *pin, Actor());
  SecureWipe(*pin);
  if (!c.ok()) return Fail(c.status());
  PrintCredential(*c);
  return 0;
}

int RunKeysImportP12(const std::vector<std::string>& argv) {
  auto args = Parse(argv, {"--holder", "--p12", "--password-file", "--password-env", "--pin-file", "--pin-env"},
                    {"--allow-network"}, 0);
  if (!args.ok()) return Fail(args.status());
  if (Status s = Require(*args, {"--holder", "--p12"}); !s.ok()) return Fail(s);
  auto p12 = ReadFile(args->Get("--p12"), 1 << 20);
  if (!p12.ok()) return Fail(p12.status());
  auto password = ReadSecret(*args, "password", "PKCS#12 password");
  if (!password.ok()) return Fail(password.status());
  auto pin = ReadSecret(*args, "pin", "signing PIN");
  if (!pin.ok()) return Fail(pin.status());
  auto ctx = OpenKeys(*args, args->Has("--allow-network"));
  if (!ctx.ok()) return Fail(ctx.status());
  auto c = (*ctx)->store->ImportPkcs12(args->Get("--holder"), *p12, *password, *pin, Actor());
  SecureWipe(*password);
  SecureWipe(*pin);
  if (!c.ok()) return Fail(c.status());
  PrintCredential(*c);
  return 0;
}

int RunKeysImportEfirma(const std::vector<std::string>& argv) {
  auto args = Parse(argv, {"--holder", "--cer", "--key", "--password-file", "--password-env", "--pin-file",
                           "--pin-env"},
                    {"--external", "--allow-network"}, 0);
  if (!args.ok()) return Fail(args.status());
  if (Status s = Require(*args, {"--holder", "--cer"}); !s.ok()) return Fail(s);
  const bool external = args->Has("--external");
  if (!external && !args->Has("--key")) return Fail(Usage("--key is needed unless --external"));
  auto cer = ReadFile(args->Get("--cer"), 1 << 20);
  if (!cer.ok()) return Fail(cer.status());
  std::optional<std::string> key, password, pin;
  if (args->Has("--key")) {
    auto k = ReadFile(args->Get("--key"), 1 << 20);
    if (!k.ok()) return Fail(k.status());
    key = *k;
    auto p = ReadSecret(*args, "password", "e.firma password");
    if (!p.ok()) return Fail(p.status());
    password = *p;
  }
  if (!external) {
    auto p = ReadSecret(*args, "pin", "signing PIN");
    if (!p.ok()) return Fail(p.status());
    pin = *p;
  }
  // With --external a .key, when given, only proves possession; it is not kept.
  if (external && key) {
    auto opened = keys::OpenEfirma(*cer, *key, *password);
    if (!opened.ok()) return Fail(opened.status());
  }
  auto ctx = OpenKeys(*args, args->Has("--allow-network"));
  if (!ctx.ok()) return Fail(ctx.status());
  auto c = external ? (*ctx)->store->RegisterExternal(args->Get("--holder"), *cer, {}, Actor())
                    : (*ctx)->store->ImportEfirma(args->Get("--holder"), *cer, *key, *password, *pin, Actor());
  if (password) SecureWipe(*password);
  if (pin) SecureWipe(*pin);
  if (!c.ok()) return Fail(c.status());
  PrintCredential(*c);
  if (!c->rfc.empty()) std::cout << "  RFC:     " << c->rfc << "\n  CURP:    " << c->curp << std::endl;
  return 0;
}

int RunKeysList(const std::vector<std::string>& argv) {
  auto args = Parse(argv, {"--holder"}, {"--json"}, 0);
  if (!args.ok()) return Fail(args.status());
  auto ctx = OpenKeys(*args);
  if (!ctx.ok()) return Fail(ctx.status());
  auto list = args->Has("--holder") ? (*ctx)->store->ListByHolder(args->Get("--holder")) : (*ctx)->store->List();
  if (!list.ok()) return Fail(list.status());
  if (args->Has("--json")) {
    std::string json = "[";
    for (size_t i = 0; i < list->size(); ++i) json += (i ? "," : "") + CredentialJson((*list)[i]);
    std::cout << json << "]" << std::endl;
    return 0;
  }
  for (const auto& c : *list) {
    std::cout << c.id << "\t" << c.holder_id << "\t" << keys::CredentialOriginName(c.origin) << "\t"
              << (c.active() ? "active" : "revoked") << "\t" << Date(c.certificate.NotAfter()) << "\t"
              << c.certificate.SubjectCommonName() << std::endl;
  }
  return 0;
}

int RunKeysRevoke(const std::vector<std::string>& argv) {
  auto args = Parse(argv, {"--reason"}, {}, 1);
  if (!args.ok()) return Fail(args.status());
  if (Status s = Require(*args, {"--reason"}); !s.ok()) return Fail(s);
  int64_t id = 0;
  try {
    size_t used = 0;
    id = std::stoll(args->positional[0], &used);
    if (used != args->positional[0].size()) throw std::invalid_argument("trailing");
  } catch (const std::exception&) {
    return Fail(Usage("credential id must be a number, got '" + args->positional[0] + "'"));
  }
  auto reason = keys::ParseRevocationReason(args->Get("--reason"));
  if (!reason.ok()) return Fail(reason.status());
  auto ctx = OpenKeys(*args);
  if (!ctx.ok()) return Fail(ctx.status());
  auto c = (*ctx)->store->Revoke(id, *reason, Actor());
  if (!c.ok()) return Fail(c.status());
  std::cout << "Credential " << id << " revoked (" << keys::RevocationReasonName(*reason) << ")" << std::endl;
  return 0;
}

int RunKeysExportCa(const std::vector<std::string>& argv) {
  auto args = Parse(argv, {"--out"}, {}, 0);
  if (!args.ok()) return Fail(args.status());
  auto ctx = OpenKeys(*args);  // also (re)writes trust/ca.pem
  if (!ctx.ok()) return Fail(ctx.status());
  if (Status s = Output(*args, (*ctx)->installation.ca->TrustAnchorPem()); !s.ok()) return Fail(s);
  if (args->Has("--out")) std::cerr << "Trust anchor written to " << args->Get("--out") << std::endl;
  return 0;
}

int RunKeysCrl(const std::vector<std::string>& argv) {
  auto args = Parse(argv, {"--out"}, {}, 0);
  if (!args.ok()) return Fail(args.status());
  auto ctx = OpenKeys(*args);
  if (!ctx.ok()) return Fail(ctx.status());
  auto crl = (*ctx)->installation.ca->CurrentCrl();
  if (!crl.ok()) return Fail(crl.status());
  // DER in a file (what CRL distribution points serve); PEM on a terminal or a .pem file.
  const std::string out = args->Get("--out");
  const bool pem = out.empty() || (out.size() > 4 && out.compare(out.size() - 4, 4, ".pem") == 0);
  if (Status s = Output(*args, pem ? CrlPem(*crl) : *crl); !s.ok()) return Fail(s);
  return 0;
}

int RunKeysShowEfirma(const std::vector<std::string>& argv) {
  auto args = Parse(argv, {"--cer"}, {"--json"}, 0);
  if (!args.ok()) return Fail(args.status());
  if (Status s = Require(*args, {"--cer"}); !s.ok()) return Fail(s);
  auto cer = ReadFile(args->Get("--cer"), 1 << 20);
  if (!cer.ok()) return Fail(cer.status());
  auto info = keys::ReadEfirmaCertificate(*cer);
  if (!info.ok()) return Fail(info.status());
  const bool expired = SystemClock().Now() > info->not_after;
  if (args->Has("--json")) {
    JsonWriter j;
    j.BeginObject()
        .Field("rfc", info->rfc)
        .Field("representative_rfc", info->representative_rfc)
        .Field("curp", info->curp)
        .Field("holder_name", info->holder_name)
        .Field("certificate_number", info->certificate_number)
        .Field("issuer", info->issuer)
        .Field("not_before", FormatRfc3339Utc(info->not_before))
        .Field("not_after", FormatRfc3339Utc(info->not_after))
        .Field("expired", expired)
        .EndObject();
    std::cout << j.str() << std::endl;
    return 0;
  }
  std::cout << "Holder:      " << info->holder_name << "\nRFC:         " << info->rfc;
  if (!info->representative_rfc.empty()) std::cout << " (representative " << info->representative_rfc << ")";
  std::cout << "\nCURP:        " << (info->curp.empty() ? "-" : info->curp)
            << "\nCertificate: " << info->certificate_number << "\nIssuer:      " << info->issuer
            << "\nValid:       " << Date(info->not_before) << " to " << Date(info->not_after)
            << (expired ? " (expired on " + Date(info->not_after) + ")" : "") << std::endl;
  return 0;
}

}  // namespace rubrica::server::cli
