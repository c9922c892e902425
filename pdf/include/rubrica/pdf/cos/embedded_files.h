// Reading embedded files (catalog /Names /EmbeddedFiles name tree), e.g. the required-signer
// list `firmantes.json` an approved acta carries.
#pragma once

#include <optional>
#include <string>

#include "rubrica/base/status.h"
#include "rubrica/pdf/cos/pdf_file.h"

namespace rubrica::pdf::cos {

/// The decoded content of the embedded file named `name` as of revision `rev`, nullopt when
/// there is no such file. Bounded: at most `max_bytes` decoded, name trees at most 16 deep.
Result<std::optional<std::string>> ReadEmbeddedFile(const PdfFile& file, size_t rev,
                                                    const std::string& name, size_t max_bytes);

}  // namespace rubrica::pdf::cos
