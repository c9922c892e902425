// The structural checks of ValidateActa, shared with the JSON parser (which reports them
// under its own error code, the model's paths being the JSON paths).
#pragma once

#include <string>

#include "rubrica/pdf/acta_document.h"

namespace rubrica::pdf::render {

Status CheckActa(const ActaDocument& acta, const ActaLimits& limits, const std::string& code);

}  // namespace rubrica::pdf::render
