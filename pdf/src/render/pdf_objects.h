// PoDoFo-level helpers shared by the assembly files. Callers hold PodofoMutex().
#pragma once

#include <podofo/podofo.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "render/font_set.h"
#include "render/pdf_assembly.h"
#include "rubrica/pdf/render.h"

namespace rubrica::pdf::render {

/// A PDF text string from UTF-8 (PoDoFo's const char* constructor would garble it).
PoDoFo::PdfString Utf8String(std::string_view utf8);
/// An ASCII string, written as a plain literal.
PoDoFo::PdfString AsciiString(std::string_view ascii);
PoDoFo::PdfVariant Integer(long long v);
PoDoFo::PdfArray RectArray(const Rect& r);

/// The font dictionaries, per FontStyle; absent for faces not embedded.
using FontRefs = std::array<std::optional<PoDoFo::PdfReference>, kFontStyleCount>;

/// Embeds the faces whose bit is set in `font_mask` (1 << FontStyle) as simple TrueType
/// fonts with WinAnsiEncoding: font dictionary, descriptor and /FontFile2.
FontRefs AddFonts(PoDoFo::PdfVecObjects& objects, const FontSet& fonts, int font_mask);

/// A /Font resource dictionary naming every embedded face by its resource name.
PoDoFo::PdfDictionary FontResources(const FontRefs& refs, int font_mask);

/// The approved version's AcroForm, its fields and widgets (adding widgets to the pages'
/// /Annots), and the firmantes.json attachment (catalog /Names and /AF).
void AddSignatureForm(PoDoFo::PdfVecObjects& objects, PoDoFo::PdfObject& catalog,
                      const std::vector<PoDoFo::PdfObject*>& pages, const FontRefs& fonts,
                      const SignatureForm& form);

}  // namespace rubrica::pdf::render
