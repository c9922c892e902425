// The acta contents the demo signs, embedded in the binary at build time from
// tests/fixtures/actas/ (fictional people; documented in docs/acta-format.md).
#pragma once

namespace rubrica::server::demo {

extern const char* const kInstallationActaJson;  // stm-zamora-instalacion.json
extern const char* const kSessionMinuteJson;     // stm-zamora-sesion-ordinaria-2023-03.json

}  // namespace rubrica::server::demo
