// Whose keys are whose: the KeyStore knows holders by a string id; a person of the
// workflows is holder "person:<id>". Enrolment (the API, the CLI, the demo) files keys
// under it and the engine looks signers' keys up by it.
#pragma once

#include <cstdint>
#include <string>

namespace rubrica::documents {

/// Holder id of a person in the KeyStore: "person:<id>".
std::string HolderIdFor(int64_t person_id);

}  // namespace rubrica::documents
