// Who performs a workflow operation.
//
// The server authenticates people; the workflow authorises. An Actor names either a person
// (whose roles in a secretariat are derived from the records on the date of the operation:
// titular or substitute of a seat, organismo garante, facilitator, required signer of an
// acta) or the installation's administrator, who may only configure (secretariats,
// agencies, holidays, people, seats, terms). The administrator never convenes, votes or
// signs. Value type, thread-compatible.
#pragma once

#include <cstdint>
#include <string>

namespace rubrica::workflows {

struct Actor {
  enum class Type { kPerson, kAdministrator };

  Type type = Type::kPerson;
  int64_t person_id = 0;  // meaningful for kPerson only

  static Actor Person(int64_t id) { return Actor{Type::kPerson, id}; }
  static Actor Administrator() { return Actor{Type::kAdministrator, 0}; }

  bool is_person() const { return type == Type::kPerson; }
  /// The actor as written in the audit log: "person:12" or "admin".
  std::string AuditName() const {
    return is_person() ? "person:" + std::to_string(person_id) : std::string("admin");
  }
};

}  // namespace rubrica::workflows
