// `rubrica demo --data-dir DIR`: a newcomer's first command. In an ordinary data directory
// it installs a Zamora-shaped municipal secretariat (STM) with fictional members and
// substitutes, each with their own key and certificates from the local CA, and carries two
// actas through their whole life with the workflow rules, the embedded TSA (served over HTTP
// on loopback for the run) and the PDF engine:
//   - the installation acta (14 November 2022): 13 signers;
//   - the minute of an ordinary session (16 March 2023, convened 1 March), where the academia
//     seat's substitute stood in and signs instead of the titular; its first draft is
//     generated from the session's record (documents::SessionMinuteDraft): attendance,
//     quorum, a consensus decision and a 4–1 vote, the agreement, closing and signatures;
//     the discussion recorded on each agenda item is the development of the long fictional
//     minute in tests/fixtures/actas;
// each approved, certified, rubricated on every page and signed at the foot by every
// required signer on the approval date, then sealed for the archive. The demo's clock is
// injected and set to those dates (the CA, certificates and timestamps carry them), so the
// rules on dates and notice hold as they would have.
//
// Writes DIR/out/{acta-instalacion,acta-sesion-ordinaria}.pdf (complete, every signature
// valid for pdfsig), the sealed archive copies (*.sellada.pdf), DIR/trust/ca.pem, and
// DIR/out/demo.json (what was created). Re-running in the same directory re-exports and
// re-verifies what the first run created. A data directory whose CA was made outside the
// demo (after the demo's dates) is refused.
//
// What it exports is verified on the demo's clock, as of the end of its story (16 March
// 2023), not today: the demo never runs the service's archive renewal, so from 1 November
// 2027 (the end of its first TSA certificate) `rubrica verify` of its sealed actas without
// `--at` says the archive seal was not renewed in time, as it should.
#pragma once

#include <ostream>

#include "rubrica/base/status.h"
#include "rubrica/server/config.h"

namespace rubrica::server::demo {

/// Runs the demo; progress and the summary go to `out` (Spanish, for people).
Status Run(const Config& config, std::ostream& out);

}  // namespace rubrica::server::demo
