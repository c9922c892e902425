// Reading actas inside a transaction, and the checks several acta operations share.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rubrica/base/status.h"
#include "rubrica/store/database.h"
#include "rubrica/workflows/actas.h"

namespace rubrica::workflows {

/// The acta with signers, approvals and signatures; `complete` computed for the current
/// (last) approval round. workflows.not_found when absent.
Result<ActaRecord> LoadActa(store::Transaction& tx, int64_t acta_id);


/// workflows.out_of_turn: `action` needs one of `allowed` states.
Status ActaOutOfTurn(const ActaRecord& acta, std::string_view action_en, std::string_view action_es,
                     std::initializer_list<ActaState> allowed);

/// The content JSON of version `version` of acta `acta_id`, exactly as stored.
/// workflows.not_found when there is no such version.
Result<std::string> LoadVersionContent(store::Transaction& tx, int64_t acta_id, int version);

/// workflows.bad_content unless `json` is a JSON object of at most 1 MiB.
Status CheckContent(const std::string& json);

/// Required signers who have not signed `kind` in the current round.
std::vector<int64_t> MissingSigners(const ActaRecord& acta, SignatureKind kind);

/// Whether every required signer rubricated and signed at the foot in the current round.
bool IsComplete(const ActaRecord& acta);

/// The current (last) approval, or nullptr before the first approval.
const ActaApproval* CurrentApproval(const ActaRecord& acta);

}  // namespace rubrica::workflows
