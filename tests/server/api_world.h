// A municipal secretariat (STM shape, four seats) built through the HTTP API alone, on the
// real service (Service on port 0, in-process, every collaborator real) with an injected
// clock. Every person is fictional.
//
// People and accounts:
//   admin        the bootstrap administrator (its one-time link read from the log)
//   facilitator  Paula Esquivel (browser session: cookie + CSRF token)
//   titular      authority seat titular, Mariana Ortiz
//   titular2     civil society titular, Héctor Navarro (attends when WorldOptions says so)
//   suplente     academia substitute, Emilio Vargas, who stands in for the absent titular
//   garante      organismo garante titular, Julián Cárdenas
//   archivist    an account with the archivist grant (no person)
//   observer     Rodrigo Peña, an observer of the secretariat
//   spare        Alma Quintero, registered, no term, no account
// People set their password and signing PIN from their invitation e-mail (the outbox).
// With WorldOptions::external_suplente the substitute instead chooses, in the invitation, a
// certificate from a test CA (trusted through trust/anchors) whose key stays with the test
// ("the device").
//
// Timeline (America/Mexico_City): installed 2026-01-05; session convened 2026-01-26 for
// 2026-02-16 10:00; held, closed, its minute drafted, approved, signed, archived and
// delivered on 2026-02-16; a second session convened for 2026-03-09.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api_client.h"
#include "rubrica/base/clock.h"
#include "rubrica/keys/certificate.h"
#include "rubrica/keys/signing_key.h"
#include "rubrica/server/service.h"
#include "support/test_support.h"

namespace rubrica::server::testing {

struct WorldOptions {
  bool titular2_attends = true;     // four signers; false: three
  bool external_suplente = false;   // the substitute signs with a device-held key
  bool notifications = true;        // false: the background notification sender is off
  int http_threads = 16;
  std::map<std::string, std::string> config_flags;  // further configuration keys
  std::string agency_address;  // the agency's address (an https:// inbox); empty: none
  /// The secretariat's package_cosigner ("garante", "facilitator"); empty: not set ("none").
  std::string package_cosigner;
  /// How often the archive renewal pass looks at the clock (ServiceOptions::renewal_poll);
  /// unset: the service's default (1 min).
  std::optional<std::chrono::milliseconds> renewal_poll;
  /// Attempts of an outbox message before the sender gives up (ServiceOptions); unset: 20.
  std::optional<int> notify_max_attempts;
};

struct WorldPerson {
  std::string key;  // "titular", ...
  std::string name;
  std::string title;
  std::string email;
  std::string password;
  std::string pin;  // empty for the external signer and accounts of no person
  int64_t id = 0;
  int64_t term = 0;
  int64_t account = 0;
  std::string token;  // bearer (the facilitator: cookie session + csrf)
  std::string csrf;
};

/// A device-held key and its certificate from the test CA.
struct DeviceCredential {
  std::string cer_der;
  std::string key_pem;  // encrypted PKCS#8
  std::string key_password;
};

/// The acta states a world can be brought to, in order.
enum class Stage { kSetUp, kSessionHeld, kDraft, kReview, kRubric, kFootSignature, kArchived, kDelivered };
std::string StageName(Stage s);

class ApiWorld {
 public:
  explicit ApiWorld(WorldOptions options = {});
  /// A copy of `other` as it is now (its files, and its database as one consistent
  /// snapshot), served by a service of its own on the same clock time.
  ApiWorld(ApiWorld& other, const std::string& tag);
  /// A world whose data directory `fill(data_dir)` makes (e.g. by restoring a backup of
  /// `other` into it), served by a service of its own on `other`'s clock time, with
  /// `other`'s people and ids.
  ApiWorld(ApiWorld& other, const std::string& tag, const std::function<void(const std::string& data_dir)>& fill);
  ~ApiWorld();

  /// Brings the world forward to `stage` (never back), through the API.
  void AdvanceTo(Stage stage);
  Stage stage() const { return stage_; }

  /// A client authenticated as `role` ("admin", "facilitator", "titular", "titular2",
  /// "suplente", "garante", "archivist", "observer", or "public" for none).
  Client As(const std::string& role) const;
  WorldPerson& person(const std::string& key) { return people_.at(key); }
  int port() const;
  const std::string& data_dir() const { return data_dir_; }
  const std::string& dir() const { return dir_->path(); }
  ManualClock& clock() { return *clock_; }
  /// The instant of local wall time in America/Mexico_City (UTC-6).
  static Instant Local(int y, unsigned m, unsigned d, int h, int min = 0);
  static std::string LocalText(int y, unsigned m, unsigned d, int h, int min = 0);

  void StopService();
  void StartService();
  /// From now on mail goes through the SMTP server on 127.0.0.1:`port` (the world reads its
  /// invitations from the outbox folder, so tests switch once the people are set up): the
  /// service restarts with smtp.* configured and everyone logs in again.
  void UseSmtp(int port);
  /// Moves the clock to `t` and logs everyone in again (sessions last 8 hours).
  void SetClock(Instant t);
  /// Logs every account in again.
  void Relogin();

  /// The id of `role`'s newest signing credential (0 when none).
  int64_t credential_of(const std::string& role) const;

  /// Signs `data` as the substitute's device would (SHA-256 + ECDSA).
  std::string DeviceSign(const std::string& data) const;
  /// Signs `data` with the key of `device` (SHA-256 + ECDSA).
  static std::string DeviceSign(const std::string& data, const DeviceCredential& device);
  const DeviceCredential& device() const { return device_; }
  /// The garante's device (Julián Cárdenas's certificate from the same test CA), for the
  /// monthly package's co-signature.
  const DeviceCredential& garante_device() const { return garante_device_; }
  const std::string& test_ca_pem() const { return test_ca_pem_; }

  // Ids of what the world holds (0 until the stage that creates it).
  int64_t secretariat = 0;
  std::map<std::string, int64_t> seats;  // member type -> seat id
  int64_t session = 0;                    // the held session
  int64_t next_session = 0;               // convened, not yet held
  int64_t decision = 0;
  int64_t agreement = 0;
  int64_t plan = 0;
  int64_t commitment = 0;
  int64_t activity = 0;
  int64_t acta = 0;
  int64_t observer_person = 0;
  WorldOptions options;

  /// The required signers of the minute, by role key.
  std::vector<std::string> Signers() const;
  /// A JSON content of the minute (valid acta format).
  static std::string MinuteContent(const std::string& title);
  /// {"votes":[...]} with a "yes" of every seat present at the held session.
  std::string YesVotes() const;

 private:
  void Setup();
  void HoldSession();
  void CreateTestCa();
  void Expect(const Reply& r, int status, const std::string& what) const;

  std::unique_ptr<rubrica::testing::TempDir> dir_;
  std::string data_dir_;
  std::unique_ptr<ManualClock> clock_;
  RecordingLogger logger_;
  std::unique_ptr<Service> service_;
  std::map<std::string, WorldPerson> people_;
  Stage stage_ = Stage::kSetUp;
  DeviceCredential device_;
  DeviceCredential garante_device_;
  std::string test_ca_pem_;
};

/// `query` run by the sqlite3 command-line tool on the world's database, read-only (the
/// service may be running): its output, one row a line.
std::string Sql(const ApiWorld& w, const std::string& query);

}  // namespace rubrica::server::testing
