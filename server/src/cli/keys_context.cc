#include "keys_context.h"

#include "commands.h"

namespace rubrica::server::cli {

Result<std::unique_ptr<KeysContext>> OpenKeys(const Args& args, bool allow_network) {
  auto ctx = std::make_unique<KeysContext>();
  ASSIGN_OR_RETURN(ctx->config, LoadCliConfig(args));
  ASSIGN_OR_RETURN(ctx->data, DataDirectory::Open(ctx->config.data_dir));
  ASSIGN_OR_RETURN(ctx->installation,
                   EnsureInstallationKeys(ctx->data, KeysSetupFrom(ctx->config.public_url, ProcessEnvironment()),
                                          ctx->clock));
  ASSIGN_OR_RETURN(ctx->trust, keys::LoadInstallationTrust(ctx->clock, *ctx->installation.ca, ctx->config.data_dir));
  ctx->audit = std::make_unique<store::AuditLog>(ctx->clock);
  keys::KeyStoreOptions options;
  options.ocsp = allow_network ? &keys::HttpOcspTransport() : nullptr;
  ctx->store = std::make_unique<keys::KeyStore>(*ctx->data.db, *ctx->audit, ctx->clock, *ctx->installation.ca,
                                                *ctx->trust, std::move(ctx->installation.key_wrap_secret),
                                                options);
  return ctx;
}

}  // namespace rubrica::server::cli
