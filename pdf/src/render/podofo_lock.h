// PoDoFo 0.9.8 keeps global state (encoding tables, default filters, PdfDate's use of
// localtime): every use of PoDoFo in rubrica::pdf holds this one module-wide lock.
#pragma once

#include <mutex>

namespace rubrica::pdf {

/// The lock serialising all PoDoFo use inside rubrica::pdf.
std::mutex& PodofoMutex();

}  // namespace rubrica::pdf
