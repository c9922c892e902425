// Posts in the person's grammatical gender.
//
// Two kinds of post text:
//   - the posts the service itself names (a member's capacity in an acta or a seat):
//     PostName() writes them for the person's gender, with neutral wording when the
//     gender is unknown ("persona facilitadora", never a guessed "facilitador");
//   - posts written by people (a person's title, "Subcoordinador de Estado Abierto…"):
//     AgreePost() puts the leading post nouns in the person's recorded gender
//     ("Comisionado Presidente del IMAIP" -> "Comisionada Presidenta del IMAIP") and
//     otherwise leaves the text exactly as written.
//
// Results are lower case as in running text; print a post on its own line with
// CapitalizeFirst (text.h). Pure functions: thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "rubrica/lang/gender.h"

namespace rubrica::lang {

enum class Post {
  kTitular,      // titular (same for every gender)
  kSuplente,     // suplente
  kFacilitador,  // facilitador / facilitadora / persona facilitadora
  kSuscriptor,   // suscriptor / suscriptora / persona suscriptora
  kIntegrante,   // integrante
  kObservador,   // observador / observadora / persona observadora
};

/// The post for a person of `gender`, lower case: PostName(kFacilitador, kFeminine) is
/// "facilitadora", with kNeutral "persona facilitadora".
std::string PostName(Post post, Gender gender);

/// The post named by a capacity code of the API ("titular", "substitute", "facilitator",
/// "subscriber", "member", "observer") or by any Spanish form PostName writes ("suplente",
/// "facilitadora", "persona suscriptora"…), case-insensitively; nullopt for other text.
std::optional<Post> PostFromName(std::string_view name);

/// `post` (free text) with its leading post nouns agreed with `gender`, keeping the case of
/// their first letter. kNeutral, unknown nouns and everything after the first word that is
/// not a post noun stay as written.
std::string AgreePost(std::string_view post, Gender gender);

}  // namespace rubrica::lang
