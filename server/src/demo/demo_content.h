// The session minute content the demo draws on (its discussion), embedded in the binary at
// build time from tests/fixtures/actas/ (fictional people; documented in
// docs/acta-format.md). The installation acta is generated from the records.
#pragma once

namespace rubrica::server::demo {

extern const char* const kSessionMinuteJson;     // stm-zamora-sesion-ordinaria-2023-03.json

}  // namespace rubrica::server::demo
