// `rubrica certify ACTA_ID --out FILE.zip`: the certified copy of an archived acta, as GET
// /api/actas/{id}/certified-copy serves it, written by the operator on the data directory.
// The copy is made once per sealed revision and recorded, so the service and this command
// hand out the same bytes.
#include <iostream>

#include "commands.h"
#include "keys_context.h"
#include "rubrica/base/files.h"
#include "rubrica/base/logger.h"
#include "rubrica/documents/pdf_acta_engine.h"
#include "rubrica/signing/timestamp_authority.h"
#include "rubrica/signing/timestamp_client.h"
#include "rubrica/workflows/workflows.h"

namespace rubrica::server::cli {

namespace {

Status Usage(const std::string& message) {
  return Status::Error(ErrorKind::kInvalidArgument, "cli.usage", message);
}

Result<std::string> Certify(KeysContext& k, int64_t acta_id) {
  // The engine as the service builds it: the embedded TSA in-process, or tsa.url.
  ASSIGN_OR_RETURN(keys::SigningKey tsa_key, k.installation.ca->UnlockTsaKey());
  std::vector<keys::Certificate> chain = {k.installation.ca->tsa_certificate()};
  for (const auto& c : k.installation.ca->Chain()) chain.push_back(c);
  ASSIGN_OR_RETURN(auto tsa, signing::TimestampAuthority::Create(chain, std::move(tsa_key), k.clock));
  std::unique_ptr<signing::TimestampClient> tsa_client;
  if (k.config.tsa_url.empty()) {
    tsa_client = std::make_unique<signing::InProcessTimestampClient>(*tsa);
  } else {
    ASSIGN_OR_RETURN(tsa_client, signing::HttpTimestampClient::Create(k.config.tsa_url));
  }
  documents::PdfActaEngineOptions options;
  options.time_zone = k.config.time_zone;
  options.public_url = k.config.public_url;
  NullLogger logger;
  documents::PdfActaEngine engine(*k.data.blobs, *k.store, *k.installation.ca, *k.trust, *tsa_client,
                                  k.clock, logger, options);
  workflows::Workflows wf(*k.data.db, k.clock, engine, logger);
  const auto env = ProcessEnvironment();
  auto user = env.find("USER");
  const std::string actor = "cli:" + (user != env.end() && !user->second.empty() ? user->second : "admin");
  ASSIGN_OR_RETURN(std::string blob, wf.actas().CertifiedCopy(acta_id, actor));
  return k.data.blobs->Get(blob);
}

}  // namespace

int RunCertify(const std::vector<std::string>& argv) {
  ArgSpec spec = CommonSpec();
  spec.valued.insert("--out");
  auto args = ParseArgs(argv, spec);
  if (!args.ok()) return Fail(args.status());
  if (args->positional.size() != 1 || !args->Has("--out")) {
    return Fail(Usage("usage: rubrica certify [--data-dir DIR] ACTA_ID --out FILE.zip"));
  }
  const std::string& id_text = args->positional[0];
  if (id_text.empty() || id_text.size() > 18 || id_text.find_first_not_of("0123456789") != std::string::npos) {
    return Fail(Usage("ACTA_ID must be a number, got '" + id_text + "'"));
  }
  auto ctx = OpenKeys(*args);
  if (!ctx.ok()) return Fail(ctx.status());
  auto zip = Certify(**ctx, std::stoll(id_text));
  if (!zip.ok()) return Fail(zip.status());
  const std::string out = args->Get("--out");
  if (Status w = WriteFileAtomic(out, *zip); !w.ok()) return Fail(w);
  std::cout << "Certified copy of acta " << id_text << " written to " << out << " (" << zip->size()
            << " bytes)" << std::endl;
  return 0;
}

}  // namespace rubrica::server::cli
