#include "rubrica/lang/posts.h"

#include <array>

#include "rubrica/lang/text.h"

namespace rubrica::lang {
namespace {

struct Forms {
  std::string_view masculine, feminine, neutral;
};

constexpr Forms FormsOf(Post post) {
  switch (post) {
    case Post::kTitular:
      return {"titular", "titular", "titular"};
    case Post::kSuplente:
      return {"suplente", "suplente", "suplente"};
    case Post::kFacilitador:
      return {"facilitador", "facilitadora", "persona facilitadora"};
    case Post::kSuscriptor:
      return {"suscriptor", "suscriptora", "persona suscriptora"};
    case Post::kIntegrante:
      return {"integrante", "integrante", "integrante"};
    case Post::kObservador:
      return {"observador", "observadora", "persona observadora"};
  }
  return {"", "", ""};
}

constexpr std::array<Post, 6> kPosts = {Post::kTitular,    Post::kSuplente,   Post::kFacilitador,
                                        Post::kSuscriptor, Post::kIntegrante, Post::kObservador};

struct Code {
  std::string_view code;
  Post post;
};
constexpr Code kCodes[] = {{"titular", Post::kTitular},         {"substitute", Post::kSuplente},
                           {"facilitator", Post::kFacilitador}, {"subscriber", Post::kSuscriptor},
                           {"member", Post::kIntegrante},       {"observer", Post::kObservador}};

// Post nouns people write in titles, masculine and feminine. Epicene ones (titular,
// representante, enlace, responsable, vocal, integrante, fiscal...) need no entry.
struct Pair {
  std::string_view masculine, feminine;
};
constexpr Pair kNouns[] = {
    {"abogado", "abogada"},
    {"administrador", "administradora"},
    {"asesor", "asesora"},
    {"auditor", "auditora"},
    {"ciudadano", "ciudadana"},
    {"comisionado", "comisionada"},
    {"consejero", "consejera"},
    {"contralor", "contralora"},
    {"coordinador", "coordinadora"},
    {"defensor", "defensora"},
    {"delegado", "delegada"},
    {"diputado", "diputada"},
    {"director", "directora"},
    {"encargado", "encargada"},
    {"facilitador", "facilitadora"},
    {"investigador", "investigadora"},
    {"jefe", "jefa"},
    {"magistrado", "magistrada"},
    {"observador", "observadora"},
    {"presidente", "presidenta"},
    {"procurador", "procuradora"},
    {"profesor", "profesora"},
    {"rector", "rectora"},
    {"regidor", "regidora"},
    {"secretario", "secretaria"},
    {"síndico", "síndica"},
    {"subcoordinador", "subcoordinadora"},
    {"subdirector", "subdirectora"},
    {"subsecretario", "subsecretaria"},
    {"suscriptor", "suscriptora"},
    {"tesorero", "tesorera"},
    {"titular", "titular"},
    {"representante", "representante"},
    {"enlace", "enlace"},
    {"responsable", "responsable"},
    {"vocal", "vocal"},
    {"integrante", "integrante"},
    {"suplente", "suplente"},
    {"municipal", "municipal"},
    {"general", "general"},
    {"ejecutivo", "ejecutiva"},
    {"adjunto", "adjunta"},
    {"técnico", "técnica"},
};

const Pair* FindNoun(std::string_view lower) {
  for (const Pair& p : kNouns) {
    if (p.masculine == lower || p.feminine == lower) return &p;
  }
  return nullptr;
}

bool StartsUpper(std::string_view word) { return LowercaseFirst(word) != word; }

}  // namespace

std::string PostName(Post post, Gender gender) {
  const Forms f = FormsOf(post);
  switch (gender) {
    case Gender::kFeminine:
      return std::string(f.feminine);
    case Gender::kMasculine:
      return std::string(f.masculine);
    case Gender::kNeutral:
      break;
  }
  return std::string(f.neutral);
}

std::optional<Post> PostFromName(std::string_view name) {
  const std::string lower = LowerCase(name);
  for (const Code& c : kCodes) {
    if (c.code == lower) return c.post;
  }
  for (Post p : kPosts) {
    const Forms f = FormsOf(p);
    if (lower == f.masculine || lower == f.feminine || lower == f.neutral) return p;
  }
  return std::nullopt;
}

std::string AgreePost(std::string_view post, Gender gender) {
  if (gender == Gender::kNeutral) return std::string(post);
  std::string out;
  size_t pos = 0;
  bool agreeing = true;
  while (pos < post.size()) {
    const size_t end = std::min(post.find(' ', pos), post.size());
    const std::string_view word = post.substr(pos, end - pos);
    const Pair* noun = agreeing ? FindNoun(LowerCase(word)) : nullptr;
    if (noun == nullptr) {
      agreeing = false;
      out += word;
    } else {
      const std::string_view form = gender == Gender::kFeminine ? noun->feminine : noun->masculine;
      out += StartsUpper(word) ? CapitalizeFirst(form) : std::string(form);
    }
    if (end < post.size()) out += ' ';
    pos = end + 1;
  }
  return out;
}

}  // namespace rubrica::lang
