#include "core.h"

#include "rubrica/documents/current_tsa_client.h"

namespace rubrica::server {

Result<std::unique_ptr<Core>> OpenCore(DataDirectory& data, const Config& config, const Clock& clock,
                                       Logger& logger, const CoreOptions& options) {
  auto core = std::make_unique<Core>();
  core->audit = std::make_unique<store::AuditLog>(clock);
  ASSIGN_OR_RETURN(core->keys, EnsureInstallationKeys(data, KeysSetupFrom(config.public_url, ProcessEnvironment()),
                                                      clock));
  ASSIGN_OR_RETURN(core->trust, keys::LoadInstallationTrust(clock, *core->keys.ca, config.data_dir));
  keys::KeyStoreOptions keystore_options;
  if (options.pin_scrypt_log2_n) keystore_options.pin_encryption.scrypt_log2_n = *options.pin_scrypt_log2_n;
  core->keystore = std::make_unique<keys::KeyStore>(*data.db, *core->audit, clock, *core->keys.ca, *core->trust,
                                                    std::move(core->keys.key_wrap_secret), keystore_options);
  {
    ASSIGN_OR_RETURN(keys::SigningKey tsa_key, core->keys.ca->UnlockTsaKey());
    std::vector<keys::Certificate> chain = {core->keys.ca->tsa_certificate()};
    for (const auto& c : core->keys.ca->Chain()) chain.push_back(c);
    ASSIGN_OR_RETURN(core->tsa, signing::TimestampAuthority::Create(chain, std::move(tsa_key), clock));
  }
  // Asked directly with the CA's current TSA certificate, so that signatures and archive
  // renewals use its successor as soon as the renewal pass issued it.
  if (config.tsa_url.empty()) {
    core->tsa_client = std::make_unique<documents::CurrentTsaClient>(*core->keys.ca, clock);
  } else {
    ASSIGN_OR_RETURN(core->tsa_client, signing::HttpTimestampClient::Create(config.tsa_url));
  }
  documents::PdfActaEngineOptions engine_options;
  engine_options.time_zone = config.time_zone;
  engine_options.public_url = config.public_url;  // the QR code on every certified page
  core->engine = std::make_unique<documents::PdfActaEngine>(*data.blobs, *core->keystore, *core->keys.ca,
                                                            *core->trust, *core->tsa_client, clock, logger,
                                                            engine_options);
  core->workflows = std::make_unique<workflows::Workflows>(*data.db, clock, *core->engine, logger);
  core->copies = std::make_unique<ArchiveCopies>(*core->workflows, *data.blobs, options.copies_actor);
  core->packages = std::make_unique<delivery::Packages>(*data.db, *data.blobs, *core->workflows, *core->keys.ca,
                                                        *core->tsa_client, clock, core->copies.get());
  return core;
}

notify::NotifierSettings NotifierSettingsFrom(const Config& config) {
  notify::NotifierSettings s;
  s.notify.public_url = config.public_url;
  s.notify.from_address = config.mail_from;
  s.outbox_dir = config.data_dir + "/outbox";
  s.smtp.host = config.smtp_host;
  s.smtp.port = config.smtp_port;
  s.smtp.starttls = config.smtp_starttls;
  s.smtp.user = config.smtp_user;
  s.smtp.password = config.smtp_password;
  s.smtp.auth = config.smtp_auth;
  s.smtp.ca_file = config.smtp_ca_file;
  s.smtp.timeout_seconds = config.smtp_timeout_seconds;
  s.webhooks.allow_http_loopback = config.webhooks_allow_http_loopback;
  s.webhooks.allow_private = config.webhooks_allow_private;
  return s;
}

}  // namespace rubrica::server
