#include "package_support.h"

#include <string_view>

#include "rubrica/server/verify_sandbox.h"

namespace rubrica::server::cli {

std::vector<delivery::ActaVerdict> VerifyActasInSandbox(const std::vector<const std::string*>& pdfs,
                                                        const std::string& trust_file) {
  std::vector<delivery::ActaVerdict> verdicts(pdfs.size(), delivery::ActaVerdict{2, VerdictName(2)});
  VerifySandboxOptions options;
  options.trust_files = {trust_file};
  options.json = true;
  std::vector<std::string_view> files;
  for (const std::string* pdf : pdfs) files.push_back(*pdf);
  auto results = VerifyBatchInSandbox(files, options);
  if (!results.ok()) return verdicts;
  for (size_t i = 0; i < results->size() && i < verdicts.size(); ++i) {
    verdicts[i] = delivery::ActaVerdict{(*results)[i].exit_code, VerdictName((*results)[i].exit_code)};
  }
  return verdicts;
}

}  // namespace rubrica::server::cli
