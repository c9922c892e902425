#include "security_handler.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <optional>
#include <cstring>
#include <memory>

namespace rubrica::pdf::cos {

namespace {

constexpr unsigned char kPad[32] = {0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E,
                                    0x56, 0xFF, 0xFA, 0x01, 0x08, 0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68,
                                    0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A};

Status NeedsPassword(const std::string& why) {
  return Status::Error(ErrorKind::kInvalidArgument, "pdf.encrypted", "the PDF is encrypted: " + why,
                       "El PDF está cifrado con una contraseña y no se puede verificar.");
}

Status Bad(const std::string& why) {
  return Status::Error(ErrorKind::kInvalidArgument, "pdf.bad_encryption", "the /Encrypt dictionary: " + why,
                       "El cifrado del PDF no es válido.");
}

std::string Digest(const EVP_MD* md, std::string_view a, std::string_view b = {}, std::string_view c = {}) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), md, nullptr);
  EVP_DigestUpdate(ctx.get(), a.data(), a.size());
  EVP_DigestUpdate(ctx.get(), b.data(), b.size());
  EVP_DigestUpdate(ctx.get(), c.data(), c.size());
  EVP_DigestFinal_ex(ctx.get(), out, &n);
  return std::string(reinterpret_cast<char*>(out), n);
}

// AES-CBC; `pad` removes PKCS#7 padding. nullopt on failure.
std::optional<std::string> Aes(bool encrypt, std::string_view key, std::string_view iv, std::string_view data, bool pad) {
  const EVP_CIPHER* c = key.size() == 16 ? EVP_aes_128_cbc() : key.size() == 32 ? EVP_aes_256_cbc() : nullptr;
  if (c == nullptr || iv.size() != 16) return std::nullopt;
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  if (EVP_CipherInit_ex(ctx.get(), c, nullptr, reinterpret_cast<const unsigned char*>(key.data()),
                        reinterpret_cast<const unsigned char*>(iv.data()), encrypt ? 1 : 0) != 1) {
    return std::nullopt;
  }
  EVP_CIPHER_CTX_set_padding(ctx.get(), pad ? 1 : 0);
  std::string out(data.size() + 32, '\0');
  int n = 0, m = 0;
  if (EVP_CipherUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n,
                       reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size())) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + n, &m) != 1) {
    return std::nullopt;
  }
  out.resize(static_cast<size_t>(n + m));
  return out;
}

// ISO 32000-2 Algorithm 2.B: the hash of R6 (R5 is plain SHA-256).
std::string HashR6(std::string_view password, std::string_view salt, std::string_view udata) {
  std::string k = Digest(EVP_sha256(), password, salt, udata);
  for (int round = 0;; ++round) {
    std::string k1;
    const std::string unit = std::string(password) + k + std::string(udata);
    k1.reserve(unit.size() * 64);
    for (int i = 0; i < 64; ++i) k1 += unit;
    auto e = Aes(true, k.substr(0, 16), k.substr(16, 16), k1, false);
    if (!e) return "";
    int sum = 0;
    for (int i = 0; i < 16; ++i) sum += static_cast<unsigned char>((*e)[i]);
    const EVP_MD* md = sum % 3 == 0 ? EVP_sha256() : sum % 3 == 1 ? EVP_sha384() : EVP_sha512();
    k = Digest(md, *e);
    if (round >= 63 && static_cast<unsigned char>(e->back()) <= round - 31) break;
  }
  return k.substr(0, 32);
}

int64_t IntOr(const Object& d, std::string_view key, int64_t fallback) {
  const Object* o = d.Get(key);
  return o && o->is_int() ? o->as_int() : fallback;
}

std::string StringOr(const Object& d, std::string_view key) {
  const Object* o = d.Get(key);
  return o && o->is_string() ? o->text() : "";
}

}  // namespace

std::string Rc4(std::string_view key, std::string_view data) {
  std::array<unsigned char, 256> s;
  for (int i = 0; i < 256; ++i) s[i] = static_cast<unsigned char>(i);
  for (int i = 0, j = 0; i < 256 && !key.empty(); ++i) {
    j = (j + s[i] + static_cast<unsigned char>(key[i % key.size()])) & 0xff;
    std::swap(s[i], s[j]);
  }
  std::string out(data);
  for (size_t n = 0, i = 0, j = 0; n < out.size(); ++n) {
    i = (i + 1) & 0xff;
    j = (j + s[i]) & 0xff;
    std::swap(s[i], s[j]);
    out[n] = static_cast<char>(out[n] ^ s[(s[i] + s[j]) & 0xff]);
  }
  return out;
}

Result<std::unique_ptr<SecurityHandler>> SecurityHandler::Create(const Object& enc, std::string_view id0) {
  const Object* filter = enc.Get("Filter");
  if (filter == nullptr || !filter->is_name("Standard")) return NeedsPassword("a security handler other than /Standard");
  auto h = std::unique_ptr<SecurityHandler>(new SecurityHandler());
  const int64_t v = IntOr(enc, "V", 0);
  const int64_t r = IntOr(enc, "R", 0);
  h->revision_ = static_cast<int>(r);
  const std::string o = StringOr(enc, "O");
  const std::string u = StringOr(enc, "U");
  const int64_t p = IntOr(enc, "P", 0);
  if (const Object* em = enc.Get("EncryptMetadata"); em && em->is_bool()) h->encrypt_metadata_ = em->as_bool();
  Method method = Method::kRc4;
  if (v == 4 || v == 5) {
    // Crypt filters: /StmF and /StrF name an entry of /CF (or /Identity).
    auto method_of = [&](std::string_view key) -> Result<Method> {
      const Object* name = enc.Get(key);
      if (name == nullptr || name->is_name("Identity")) return Method::kIdentity;
      const Object* cf = enc.Get("CF");
      const Object* f = cf && name->is_name() ? cf->Get(name->text()) : nullptr;
      const Object* cfm = f ? f->Get("CFM") : nullptr;
      if (cfm == nullptr || cfm->is_name("None")) return Method::kIdentity;
      if (cfm->is_name("V2")) return Method::kRc4;
      if (cfm->is_name("AESV2")) return Method::kAes128;
      if (cfm->is_name("AESV3")) return Method::kAes256;
      return Bad("unknown crypt filter method");
    };
    ASSIGN_OR_RETURN(h->strings_, method_of("StrF"));
    ASSIGN_OR_RETURN(h->streams_, method_of("StmF"));
    method = h->streams_ != Method::kIdentity ? h->streams_ : h->strings_;
  } else if (v == 1 || v == 2) {
    h->strings_ = h->streams_ = Method::kRc4;
  } else {
    return Bad("/V " + std::to_string(v) + " is not supported");
  }

  if (r == 5 || r == 6) {
    const std::string ue = StringOr(enc, "UE");
    if (u.size() < 48 || ue.size() < 32) return Bad("/U or /UE too short for R" + std::to_string(r));
    auto hash = [&](std::string_view salt) {
      return r == 5 ? Digest(EVP_sha256(), "", salt) : HashR6("", salt, "");
    };
    if (hash(u.substr(32, 8)) != u.substr(0, 32)) return NeedsPassword("it needs a user password to be opened");
    auto key = Aes(false, hash(u.substr(40, 8)), std::string(16, '\0'), ue.substr(0, 32), false);
    if (!key) return Bad("/UE does not decrypt");
    h->key_ = *key;
    h->description_ = "AES-256";
    return h;
  }
  if (r < 2 || r > 4) return Bad("/R " + std::to_string(r) + " is not supported");
  if (o.size() < 32 || u.size() < 32) return Bad("/O or /U shorter than 32 bytes");
  const size_t n = r == 2 ? 5 : static_cast<size_t>(std::clamp<int64_t>(IntOr(enc, "Length", 40), 40, 128) / 8);
  // Algorithm 2 with the empty password.
  std::string input(reinterpret_cast<const char*>(kPad), 32);
  input += o.substr(0, 32);
  const uint32_t pu = static_cast<uint32_t>(p);
  for (int i = 0; i < 4; ++i) input.push_back(static_cast<char>((pu >> (8 * i)) & 0xff));
  input += std::string(id0);
  if (r >= 4 && !h->encrypt_metadata_) input += std::string(4, '\xff');
  std::string key = Digest(EVP_md5(), input).substr(0, n);
  if (r >= 3) {
    for (int i = 0; i < 50; ++i) key = Digest(EVP_md5(), key).substr(0, n);
  }
  // Algorithms 4 and 5: the key is right when it reproduces /U.
  bool ok = false;
  if (r == 2) {
    ok = Rc4(key, std::string(reinterpret_cast<const char*>(kPad), 32)) == u.substr(0, 32);
  } else {
    std::string x = Rc4(key, Digest(EVP_md5(), std::string(reinterpret_cast<const char*>(kPad), 32), id0));
    for (int i = 1; i <= 19; ++i) {
      std::string k = key;
      for (char& c : k) c = static_cast<char>(c ^ i);
      x = Rc4(k, x);
    }
    ok = x.substr(0, 16) == u.substr(0, 16);
  }
  if (!ok) return NeedsPassword("it needs a user password to be opened");
  h->key_ = key;
  h->description_ = method == Method::kAes128 ? "AES-128" : "RC4 " + std::to_string(n * 8) + "-bit";
  return h;
}

Result<std::string> SecurityHandler::Apply(Method m, Ref ref, std::string_view data) const {
  if (m == Method::kIdentity) return std::string(data);
  std::string key = key_;
  if (m != Method::kAes256) {
    // Algorithm 1: a key per object.
    std::string extra;
    for (int i = 0; i < 3; ++i) extra.push_back(static_cast<char>((ref.num >> (8 * i)) & 0xff));
    for (int i = 0; i < 2; ++i) extra.push_back(static_cast<char>((ref.gen >> (8 * i)) & 0xff));
    if (m == Method::kAes128) extra += "sAlT";
    key = Digest(EVP_md5(), key_, extra).substr(0, std::min<size_t>(key_.size() + 5, 16));
  }
  if (m == Method::kRc4) return Rc4(key, data);
  if (data.empty()) return std::string();
  if (data.size() < 32 || data.size() % 16 != 0) {
    return Status::Error(ErrorKind::kInvalidArgument, "pdf.bad_encryption",
                         "object " + std::to_string(ref.num) + ": AES data of " + std::to_string(data.size()) +
                             " bytes (not whole blocks after the IV)",
                         "El cifrado del PDF no es válido.");
  }
  auto out = Aes(false, key, data.substr(0, 16), data.substr(16), true);
  if (!out) {
    return Status::Error(ErrorKind::kInvalidArgument, "pdf.bad_encryption",
                         "object " + std::to_string(ref.num) + ": AES data does not decrypt",
                         "El cifrado del PDF no es válido.");
  }
  return *out;
}

Status SecurityHandler::DecryptStrings(Ref ref, Object& o, int depth) const {
  if (depth > 64) return Status::Ok();
  if (o.is_string()) {
    ASSIGN_OR_RETURN(std::string plain, Apply(strings_, ref, o.text()));
    o = Object::String(std::move(plain), o.hex());
  } else if (o.is_array()) {
    for (Object& x : o.array()) RETURN_IF_ERROR(DecryptStrings(ref, x, depth + 1));
  } else if (o.is_dict()) {
    const bool signature = o.Get("ByteRange") != nullptr;
    for (auto& [k, v] : o.dict()) {
      if (signature && k == "Contents") continue;
      RETURN_IF_ERROR(DecryptStrings(ref, v, depth + 1));
    }
  }
  return Status::Ok();
}

Status SecurityHandler::Decrypt(Ref ref, Object& obj) const {
  if (obj.is_stream()) {
    const Object* type = obj.Get("Type");
    if (type && type->is_name("XRef")) return Status::Ok();
    Dict dict = obj.dict();
    Object d = Object::MakeDict(std::move(dict));
    RETURN_IF_ERROR(DecryptStrings(ref, d, 0));
    std::string data = obj.stream_data();
    if (!(type && type->is_name("Metadata") && !encrypt_metadata_)) {
      ASSIGN_OR_RETURN(data, Apply(streams_, ref, data));
    }
    obj = Object::Stream(std::move(d.dict()), std::move(data));
    return Status::Ok();
  }
  return DecryptStrings(ref, obj, 0);
}

}  // namespace rubrica::pdf::cos
