#include "rubrica/lang/articles.h"

#include "rubrica/lang/text.h"

namespace rubrica::lang {
namespace {

enum class Noun { kMasculine, kFeminine, kMasculinePlural, kFemininePlural };

struct Entry {
  std::string_view word;  // lower case (acronyms upper case)
  Noun noun;
};

// Head nouns of Mexican institutions, bodies and organisations.
constexpr Entry kNouns[] = {
    {"academia", Noun::kFeminine},
    {"administración", Noun::kFeminine},
    {"agencia", Noun::kFeminine},
    {"alianza", Noun::kFeminine},
    {"archivo", Noun::kMasculine},
    {"asamblea", Noun::kFeminine},
    {"asociación", Noun::kFeminine},
    {"auditoría", Noun::kFeminine},
    {"ayuntamiento", Noun::kMasculine},
    {"cabildo", Noun::kMasculine},
    {"cámara", Noun::kFeminine},
    {"centro", Noun::kMasculine},
    {"ciudadanía", Noun::kFeminine},
    {"club", Noun::kMasculine},
    {"colectivo", Noun::kMasculine},
    {"colegio", Noun::kMasculine},
    {"comisión", Noun::kFeminine},
    {"comité", Noun::kMasculine},
    {"confederación", Noun::kFeminine},
    {"congreso", Noun::kMasculine},
    {"consejería", Noun::kFeminine},
    {"consejo", Noun::kMasculine},
    {"contraloría", Noun::kFeminine},
    {"coordinación", Noun::kFeminine},
    {"defensoría", Noun::kFeminine},
    {"delegación", Noun::kFeminine},
    {"departamento", Noun::kMasculine},
    {"despacho", Noun::kMasculine},
    {"dirección", Noun::kFeminine},
    {"escuela", Noun::kFeminine},
    {"estado", Noun::kMasculine},
    {"facultad", Noun::kFeminine},
    {"federación", Noun::kFeminine},
    {"fideicomiso", Noun::kMasculine},
    {"fiscalía", Noun::kFeminine},
    {"foro", Noun::kMasculine},
    {"fundación", Noun::kFeminine},
    {"gobierno", Noun::kMasculine},
    {"grupo", Noun::kMasculine},
    {"instituto", Noun::kMasculine},
    {"jefatura", Noun::kFeminine},
    {"junta", Noun::kFeminine},
    {"mesa", Noun::kFeminine},
    {"municipio", Noun::kMasculine},
    {"observatorio", Noun::kMasculine},
    {"oficina", Noun::kFeminine},
    {"organismo", Noun::kMasculine},
    {"organización", Noun::kFeminine},
    {"organizaciones", Noun::kFemininePlural},
    {"órgano", Noun::kMasculine},
    {"patronato", Noun::kMasculine},
    {"plataforma", Noun::kFeminine},
    {"poder", Noun::kMasculine},
    {"presidencia", Noun::kFeminine},
    {"procuraduría", Noun::kFeminine},
    {"red", Noun::kFeminine},
    {"registro", Noun::kMasculine},
    {"regiduría", Noun::kFeminine},
    {"secretaría", Noun::kFeminine},
    {"secretariado", Noun::kMasculine},
    {"senado", Noun::kMasculine},
    {"servicio", Noun::kMasculine},
    {"sindicato", Noun::kMasculine},
    {"sindicatura", Noun::kFeminine},
    {"sistema", Noun::kMasculine},
    {"sociedad", Noun::kFeminine},
    {"subdirección", Noun::kFeminine},
    {"subsecretaría", Noun::kFeminine},
    {"tesorería", Noun::kFeminine},
    {"tribunal", Noun::kMasculine},
    {"unidad", Noun::kFeminine},
    {"universidad", Noun::kFeminine},
};

// Acronyms of bodies the secretariats deal with, by the gender of their spelled-out head
// noun (INAI: Instituto; SESNA: Secretaría).
constexpr Entry kAcronyms[] = {
    {"IMAIP", Noun::kMasculine}, {"INAI", Noun::kMasculine}, {"IEIP", Noun::kMasculine},
    {"IMIPE", Noun::kMasculine}, {"INE", Noun::kMasculine},  {"SAT", Noun::kMasculine},
    {"SNT", Noun::kMasculine},   {"STL", Noun::kMasculine},  {"STM", Noun::kMasculine},
    {"SESNA", Noun::kFeminine},  {"SFP", Noun::kFeminine},   {"UNAM", Noun::kFeminine},
    {"ASF", Noun::kFeminine},    {"SHCP", Noun::kFeminine},  {"COPARMEX", Noun::kFeminine},
    {"PAL", Noun::kMasculine},   {"PAM", Noun::kMasculine},  {"DIF", Noun::kMasculine},
};

struct Honorific {
  std::string_view abbreviation;
  Gender gender;  // kNeutral: the same for women and men
};
constexpr Honorific kHonorifics[] = {
    {"mtra.", Gender::kFeminine},  {"dra.", Gender::kFeminine}, {"profa.", Gender::kFeminine},
    {"lcda.", Gender::kFeminine},  {"sra.", Gender::kFeminine}, {"srita.", Gender::kFeminine},
    {"mtro.", Gender::kMasculine}, {"dr.", Gender::kMasculine}, {"prof.", Gender::kMasculine},
    {"lcdo.", Gender::kMasculine}, {"sr.", Gender::kMasculine}, {"c.", Gender::kNeutral},
    {"lic.", Gender::kNeutral},    {"ing.", Gender::kNeutral},  {"arq.", Gender::kNeutral},
    {"l.i.", Gender::kNeutral},    {"c.p.", Gender::kNeutral},  {"mvz.", Gender::kNeutral},
};

std::string_view FirstWord(std::string_view s) {
  const size_t end = s.find(' ');
  return end == std::string_view::npos ? s : s.substr(0, end);
}

std::string_view Rest(std::string_view s) {
  const size_t end = s.find(' ');
  return end == std::string_view::npos ? std::string_view() : s.substr(end + 1);
}

std::string_view ArticleOf(Noun noun) {
  switch (noun) {
    case Noun::kMasculine:
      return "el";
    case Noun::kFeminine:
      return "la";
    case Noun::kMasculinePlural:
      return "los";
    case Noun::kFemininePlural:
      return "las";
  }
  return "";
}

bool OwnArticle(std::string_view word) {
  return word == "El" || word == "La" || word == "Los" || word == "Las";
}

// "a" + article, contracted: a el -> al, de el -> del.
std::string Join(Preposition p, std::string_view article, std::string_view name) {
  std::string prep;
  switch (p) {
    case Preposition::kNone:
      break;
    case Preposition::kA:
      prep = "a";
      break;
    case Preposition::kDe:
      prep = "de";
      break;
    case Preposition::kEn:
      prep = "en";
      break;
    case Preposition::kPor:
      prep = "por";
      break;
    case Preposition::kCon:
      prep = "con";
      break;
    case Preposition::kPara:
      prep = "para";
      break;
  }
  std::string out;
  if (article == "el" && (p == Preposition::kA || p == Preposition::kDe)) {
    out = prep + "l";
  } else {
    out = prep;
    if (!article.empty()) out += (out.empty() ? "" : " ") + std::string(article);
  }
  if (!out.empty()) out += ' ';
  return out + std::string(name);
}

}  // namespace

std::string_view InstitutionArticle(std::string_view name) {
  std::string_view word = FirstWord(name);
  if (OwnArticle(word)) return "";
  // "H. Ayuntamiento" (Honorable): the article belongs to the noun after it.
  if (word == "H." || word == "Honorable") word = FirstWord(Rest(name));
  for (const Entry& e : kAcronyms) {
    if (e.word == word) return ArticleOf(e.noun);
  }
  const std::string lower = LowerCase(word);
  for (const Entry& e : kNouns) {
    if (e.word == lower) return ArticleOf(e.noun);
  }
  return "";
}

std::string WithArticle(Preposition preposition, std::string_view name) {
  return Join(preposition, InstitutionArticle(name), name);
}

std::string PersonWithArticle(Preposition preposition, std::string_view name, Gender gender) {
  const std::string first = LowerCase(FirstWord(name));
  for (const Honorific& h : kHonorifics) {
    if (h.abbreviation != first) continue;
    const Gender g = gender != Gender::kNeutral ? gender : h.gender;
    const std::string_view article = g == Gender::kFeminine    ? "la"
                                     : g == Gender::kMasculine ? "el"
                                                               : "";
    return Join(preposition, article, name);
  }
  return Join(preposition, "", name);
}

}  // namespace rubrica::lang
