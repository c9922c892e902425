#include "rubrica/documents/holder_id.h"

namespace rubrica::documents {

std::string HolderIdFor(int64_t person_id) { return "person:" + std::to_string(person_id); }

}  // namespace rubrica::documents
