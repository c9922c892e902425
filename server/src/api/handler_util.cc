#include "handler_util.h"

#include "rubrica/base/crypto_util.h"

namespace rubrica::server::api {

Status Reply(Call& c, int status, const JsonWriter& w) {
  c.Reply(status, w.str());
  return Status::Ok();
}

Status ReplyCreated(Call& c, std::string_view key, int64_t id) {
  JsonWriter w;
  w.BeginObject().Field(key, id).EndObject();
  return Reply(c, 201, w);
}

Status ReplyOk(Call& c) {
  c.Reply(200, "{\"ok\":true}");
  return Status::Ok();
}

Result<std::vector<workflows::VoteInput>> ReadVotes(JsonReader& j, std::string_view key) {
  ASSIGN_OR_RETURN(auto items, j.ObjectArray(key, 100));
  std::vector<workflows::VoteInput> votes;
  for (auto& item : items) {
    workflows::VoteInput v;
    ASSIGN_OR_RETURN(v.person_id, item.Int("person_id"));
    ASSIGN_OR_RETURN(std::string choice, item.Enum("choice", {"yes", "no", "abstain"}));
    v.choice = choice == "yes"  ? workflows::VoteChoice::kYes
               : choice == "no" ? workflows::VoteChoice::kNo
                                : workflows::VoteChoice::kAbstain;
    RETURN_IF_ERROR(item.Finish());
    votes.push_back(v);
  }
  return votes;
}

std::map<int64_t, std::string> SignerNames(ApiContext& ctx, const workflows::ActaRecord& acta) {
  std::map<int64_t, std::string> names;
  for (const auto& s : acta.signers) {
    if (names.count(s.person_id)) continue;
    auto p = ctx.wf.people().GetPerson(s.person_id);
    names[s.person_id] = p.ok() ? p->full_name : std::string();
  }
  return names;
}

Status ReplyActa(Call& c, int status, int64_t id) {
  ASSIGN_OR_RETURN(workflows::ActaRecord acta, c.ctx.wf.actas().Get(id));
  JsonWriter w;
  WriteActa(w, acta, SignerNames(c.ctx, acta));
  return Reply(c, status, w);
}

Result<std::string> Base64Field(JsonReader& j, std::string_view key, int64_t max_bytes) {
  // base64 is 4/3 of the bytes; the text limit leaves room for line breaks.
  ASSIGN_OR_RETURN(std::string text, j.String(key, static_cast<size_t>(max_bytes / 3 * 4 + 1024)));
  auto bytes = Base64Decode(text);
  if (!bytes.ok()) {
    return BadField(j.path() == "$" ? std::string(key) : j.path() + "." + std::string(key),
                    "expected base64", "se esperaba contenido en base64");
  }
  if (static_cast<int64_t>(bytes->size()) > max_bytes) {
    return Status::Error(ErrorKind::kTooLarge, "api.upload_too_large",
                         std::string(key) + ": " + std::to_string(bytes->size()) +
                             " bytes exceeds " + std::to_string(max_bytes),
                         "El archivo excede el tamaño máximo permitido.");
  }
  return *bytes;
}

std::string ClientAddress(const HttpExchange& ex) {
  std::string a = ex.RemoteAddress();
  const size_t colon = a.rfind(':');
  return colon == std::string::npos ? a : a.substr(0, colon);
}

Status Busy(std::string_view what_en) {
  return Status::Error(ErrorKind::kUnavailable, "api.busy",
                       std::string(what_en) + ": too many in progress, try again in 1 s",
                       "El servicio está ocupado; intente de nuevo en un momento.");
}

namespace {

// file.revisions of a verification report (0 when the output is not a JSON report).
int64_t ReadableRevisions(const std::string& report) {
  JsonReaderOptions o;
  o.max_bytes = report.size();
  o.normalize_text = false;
  auto root = JsonReader::Parse(report, o);
  if (!root.ok()) return 0;
  auto file = root->Object("file");
  if (!file.ok()) return 0;
  auto revisions = file->Int("revisions", 0);
  return revisions.ok() ? *revisions : 0;
}

}  // namespace

Result<SandboxResult> VerifyUpload(Call& c, std::string_view pdf) {
  if (static_cast<int64_t>(pdf.size()) > c.ctx.options.max_pdf_bytes) {
    return Status::Error(ErrorKind::kTooLarge, "api.upload_too_large",
                         "PDF of " + std::to_string(pdf.size()) + " bytes exceeds " +
                             std::to_string(c.ctx.options.max_pdf_bytes),
                         "El archivo excede el tamaño máximo permitido.");
  }
  auto admitted = c.ctx.verifications.TryEnter();
  if (!admitted) return Busy("PDF verification");
  // The installation's own CRLs, current to the last committed revocation, answer for the
  // certificates it issued (the worker also reads those of the file's /DSS and trust/crls).
  VerifySandboxOptions options = c.ctx.options.verify;
  ASSIGN_OR_RETURN(std::vector<std::string> crls, c.ctx.keys.ca().CurrentCrls());
  options.crl_bytes.insert(options.crl_bytes.end(), crls.begin(), crls.end());
  return VerifyInSandbox(pdf, options);
}

Result<SandboxResult> CheckPdf(Call& c, std::string_view pdf) {
  ASSIGN_OR_RETURN(SandboxResult r, VerifyUpload(c, pdf));
  // Exit 2 is "could not be processed": either not a PDF at all (broken, hostile, over a
  // limit: refused), or a well-formed PDF without signature fields (a report, a receipt:
  // accepted), which the report tells apart by the revisions it could read.
  if (r.exit_code == 2 && ReadableRevisions(r.output) < 1) {
    return Status::Error(ErrorKind::kRejected, "api.bad_pdf",
                         "uploaded file could not be processed as a PDF",
                         "El archivo no pudo procesarse como PDF.");
  }
  return r;
}

Status BadParameter(const std::string& name, const std::string& en, const std::string& es) {
  return Status::Error(ErrorKind::kInvalidArgument, "api.bad_parameter",
                       "query parameter " + name + ": " + en,
                       "Valor inválido en el parámetro «" + name + "»: " + es + ".");
}

Result<int64_t> PositiveInt(const std::string& name, const std::string& text) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos ||
      text[0] == '0') {
    return BadParameter(name, "not a positive integer: '" + text + "'", "no es un entero positivo");
  }
  return std::stoll(text);
}

Result<int> PageLimit(const std::string& name, const std::string& text, int max) {
  ASSIGN_OR_RETURN(int64_t limit, PositiveInt(name, text));
  if (limit > max) {
    return BadParameter(name, "over " + std::to_string(max), "el máximo es " + std::to_string(max));
  }
  return static_cast<int>(limit);
}

Result<std::chrono::year_month> ParseMonth(const std::string& text, std::string_view name) {
  if (text.size() != 7 || text[4] != '-' ||
      text.substr(0, 4).find_first_not_of("0123456789") != std::string::npos ||
      text.substr(5).find_first_not_of("0123456789") != std::string::npos) {
    return BadField(name, "expected a month YYYY-MM", "se esperaba un mes AAAA-MM");
  }
  using namespace std::chrono;
  year_month ym{year(std::stoi(text.substr(0, 4))), month(std::stoul(text.substr(5)))};
  if (!ym.ok()) return BadField(name, "expected a month YYYY-MM", "se esperaba un mes AAAA-MM");
  return ym;
}

bool IsSha256Hex(std::string_view text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace rubrica::server::api
