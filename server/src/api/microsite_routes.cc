// A secretariat's public microsite (seed III.12): its contact and links, its published
// evidence and communiqués (files served with safe types), and its open data with the data
// dictionary. The actas, the action plans and the sessions' calendar have their own routes.
#include "handler_util.h"
#include "open_data.h"

namespace rubrica::server::api {

namespace {

using namespace rubrica::workflows;

void WriteItem(JsonWriter& w, const MicrositeItem& i) {
  w.BeginObject()
      .Field("id", i.id)
      .Field("secretariat_id", i.secretariat_id)
      .Field("kind", i.kind)
      .Field("title", i.title)
      .Key("published_on")
      .Date(i.published_on)
      .Field("description", i.description)
      .Field("url", i.url)
      .Field("file_url", i.blob_id.empty() ? std::string()
                                           : "/api/microsite/items/" + std::to_string(i.id) + "/file")
      .Field("content_type", i.content_type)
      .Field("size", i.size)
      .EndObject();
}

Status ReplyMicrosite(Call& c, int status) {
  ASSIGN_OR_RETURN(MicrositeProfile p, c.ctx.microsite.Profile(c.secretariat_id));
  ASSIGN_OR_RETURN(auto items, c.ctx.microsite.Items(c.secretariat_id));
  JsonWriter w;
  w.BeginObject().Field("secretariat_id", c.secretariat_id);
  w.Key("contact")
      .BeginObject()
      .Field("email", p.email)
      .Field("phone", p.phone)
      .Field("address", p.address)
      .Field("hours", p.hours)
      .EndObject();
  w.Key("links").BeginArray();
  for (const auto& l : p.links) w.BeginObject().Field("title", l.title).Field("url", l.url).EndObject();
  w.EndArray().Key("items").BeginArray();
  for (const auto& i : items) WriteItem(w, i);
  w.EndArray().EndObject();
  return Reply(c, status, w);
}

Status GetMicrosite(Call& c) { return ReplyMicrosite(c, 200); }

Status SetProfile(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  MicrositeProfile p;
  ASSIGN_OR_RETURN(p.email, j.OptionalLine("email", "", 254));
  ASSIGN_OR_RETURN(p.phone, j.OptionalLine("phone", "", 60));
  ASSIGN_OR_RETURN(p.address, j.OptionalLine("address", "", 300));
  ASSIGN_OR_RETURN(p.hours, j.OptionalLine("hours", "", 200));
  ASSIGN_OR_RETURN(auto links, j.ObjectArray("links", 30));
  for (auto& l : links) {
    MicrositeLink link;
    ASSIGN_OR_RETURN(link.title, l.Line("title", 200));
    ASSIGN_OR_RETURN(link.url, l.Line("url", 2000));
    RETURN_IF_ERROR(l.Finish());
    p.links.push_back(std::move(link));
  }
  RETURN_IF_ERROR(j.Finish());
  RETURN_IF_ERROR(c.ctx.microsite.SetProfile(c.audit_actor(), c.secretariat_id, p));
  return ReplyMicrosite(c, 200);
}

Status AddItem(Call& c) {
  ASSIGN_OR_RETURN(JsonReader j, c.Json());
  NewMicrositeItem in;
  in.secretariat_id = c.secretariat_id;
  ASSIGN_OR_RETURN(in.kind, j.Enum("kind", MicrositeItemKinds()));
  ASSIGN_OR_RETURN(in.title, j.Line("title", 300));
  ASSIGN_OR_RETURN(in.published_on, j.Date("published_on"));
  ASSIGN_OR_RETURN(in.description, j.OptionalString("description", "", 8000));
  ASSIGN_OR_RETURN(in.url, j.OptionalLine("url", "", 2000));
  if (j.Has("file")) {
    ASSIGN_OR_RETURN(in.file, Base64Field(j, "file", c.ctx.options.max_json_bytes));
    ASSIGN_OR_RETURN(in.content_type, j.Line("content_type", 100));
  }
  RETURN_IF_ERROR(j.Finish());
  ASSIGN_OR_RETURN(MicrositeItem item, c.ctx.microsite.AddItem(c.audit_actor(), in));
  JsonWriter w;
  WriteItem(w, item);
  return Reply(c, 201, w);
}

// Only the declared type, never sniffed; an image or a PDF may be shown in place, anything
// else is a download; in every case a sandbox that runs nothing.
Status ItemFile(Call& c) {
  ASSIGN_OR_RETURN(MicrositeItem item, c.ctx.microsite.Item(c.Id("item_id")));
  if (item.blob_id.empty() || !AllowedItemType(item.content_type)) {
    return Status::Error(ErrorKind::kNotFound, "api.not_found",
                         "microsite item " + std::to_string(item.id) + " has no file",
                         "Esa publicación es un enlace, no un archivo.");
  }
  ASSIGN_OR_RETURN(std::string bytes, c.ctx.blobs.Get(item.blob_id));
  const std::string name =
      "publicacion-" + std::to_string(item.id) + "." + std::string(ItemExtension(item.content_type));
  c.ex.SetHeader("Content-Disposition", std::string(InlineItemType(item.content_type)
                                                        ? "inline"
                                                        : "attachment") +
                                            "; filename=\"" + name + "\"");
  c.ex.SetHeader("Content-Security-Policy", "default-src 'none'; sandbox");
  c.ex.SetHeader("X-Content-Type-Options", "nosniff");
  c.ex.SetHeader("Cache-Control", "public, max-age=300");
  c.ex.SendBytes(200, item.content_type, bytes);
  return Status::Ok();
}

void LicenceFields(JsonWriter& w) {
  w.Field("licence", kOpenDataLicence)
      .Field("licence_name_es", kOpenDataLicenceName)
      .Field("licence_url", kOpenDataLicenceUrl)
      .Field("dictionary_url", "/api/open-data/dictionary");
}

void WriteValue(JsonWriter& w, std::string_view type, const std::string& v) {
  if (v.empty() && type != "string") {
    w.Null();
  } else if (type == "integer") {
    w.Int(std::stoll(v));
  } else if (type == "boolean") {
    w.Bool(v == "true");
  } else {
    w.String(v);
  }
}

Status OpenDataJson(Call& c) {
  ASSIGN_OR_RETURN(const OpenDatasetSpec* spec, FindOpenDataset(c.ex.PathParam("dataset")));
  ASSIGN_OR_RETURN(OpenDataset data, BuildOpenDataset(c.ctx.wf, c.secretariat_id, *spec));
  ASSIGN_OR_RETURN(SecretariatRecord s, c.ctx.wf.secretariats().Get(c.secretariat_id));
  JsonWriter w;
  w.BeginObject()
      .Field("dataset", spec->name)
      .Field("title_es", spec->title_es)
      .Field("secretariat_id", c.secretariat_id)
      .Field("secretariat_name", s.config.name)
      .Key("generated_at")
      .Time(c.ctx.clock.Now());
  LicenceFields(w);
  std::vector<std::string> columns;
  for (const auto& col : spec->columns) columns.emplace_back(col.name);
  w.StringArray("columns", columns).Key("rows").BeginArray();
  for (const auto& row : data.rows) {
    w.BeginObject();
    for (size_t i = 0; i < spec->columns.size(); ++i) {
      w.Key(spec->columns[i].name);
      WriteValue(w, spec->columns[i].type, row[i]);
    }
    w.EndObject();
  }
  w.EndArray().EndObject();
  return Reply(c, 200, w);
}

// The licence and the dictionary travel in Link headers (RFC 8288), the CSV itself being
// only the table.
Status OpenDataCsv(Call& c) {
  ASSIGN_OR_RETURN(const OpenDatasetSpec* spec, FindOpenDataset(c.ex.PathParam("dataset")));
  ASSIGN_OR_RETURN(OpenDataset data, BuildOpenDataset(c.ctx.wf, c.secretariat_id, *spec));
  c.ex.SetHeader("Content-Disposition", "attachment; filename=\"secretariado-" +
                                            std::to_string(c.secretariat_id) + "-" +
                                            std::string(spec->name) + ".csv\"");
  c.ex.SetHeader("Link", "<" + std::string(kOpenDataLicenceUrl) + ">; rel=\"license\", " +
                             "</api/open-data/dictionary>; rel=\"describedby\"");
  c.ex.SetHeader("X-Content-Type-Options", "nosniff");
  c.ex.SendBytes(200, "text/csv; charset=utf-8; header=present", ToCsv(data));
  return Status::Ok();
}

Status Dictionary(Call& c) {
  JsonWriter w;
  w.BeginObject();
  LicenceFields(w);
  w.Field("format_es",
          "CSV según RFC 4180 (UTF-8, fin de línea CRLF, primera línea con los nombres de "
          "columna) y JSON. Una celda de CSV que empieza con =, +, -, @ lleva antes un "
          "apóstrofo para que ninguna hoja de cálculo la ejecute como fórmula.");
  w.Key("datasets").BeginArray();
  for (const auto& s : OpenDataDictionary()) {
    w.BeginObject()
        .Field("name", s.name)
        .Field("title_es", s.title_es)
        .Field("description_es", s.description_es)
        .Key("columns")
        .BeginArray();
    for (const auto& col : s.columns) {
      w.BeginObject()
          .Field("name", col.name)
          .Field("type", col.type)
          .Field("description_es", col.description_es)
          .EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray().EndObject();
  return Reply(c, 200, w);
}

}  // namespace

std::vector<RouteSpec> MicrositeRoutes() {
  return {
      {"GET", "/api/secretariats/{secretariat_id}/microsite", "getMicrosite", "microsite",
       "The microsite's contact, links and published evidence and communiqués", kPublic,
       Scope::kSecretariat, false, "", "the microsite", 200, GetMicrosite},
      {"POST", "/api/secretariats/{secretariat_id}/microsite/profile", "setMicrositeProfile",
       "microsite", "Replace the microsite's contact and links", kFacilitator,
       Scope::kSecretariat, false,
       "email:string phone:string address:string hours:string links:object[]!",
       "the microsite", 200, SetProfile},
      {"POST", "/api/secretariats/{secretariat_id}/microsite/items", "addMicrositeItem",
       "microsite",
       "Publish evidence (photo, video, audio) or a communiqué: an https URL or a file "
       "(base64, within the JSON body limit)",
       kFacilitator, Scope::kSecretariat, false,
       "kind:photo|video|audio|communique! title:string! published_on:date! "
       "description:string url:string file:string content_type:string",
       "the published item", 201, AddItem},
      {"GET", "/api/microsite/items/{item_id}/file", "downloadMicrositeItem", "microsite",
       "A published item's file, with its declared type (images and PDF inline, the rest as "
       "attachments)",
       kPublic, Scope::kNone, false, "", "application/octet-stream", 200, ItemFile},
      {"GET", "/api/secretariats/{secretariat_id}/open-data/{dataset}", "getOpenData",
       "open-data", "One open dataset as JSON, with its licence (CC BY 4.0)", kPublic,
       Scope::kSecretariat, false, "", "the dataset", 200, OpenDataJson},
      {"GET", "/api/secretariats/{secretariat_id}/open-data/{dataset}/csv", "getOpenDataCsv",
       "open-data", "One open dataset as CSV (RFC 4180, UTF-8); licence and dictionary in Link "
       "headers",
       kPublic, Scope::kSecretariat, false, "", "text/csv", 200, OpenDataCsv},
      {"GET", "/api/open-data/dictionary", "getOpenDataDictionary", "open-data",
       "The open data's dictionary: every dataset and column, the licence", kPublic,
       Scope::kNone, false, "", "the data dictionary", 200, Dictionary},
  };
}

}  // namespace rubrica::server::api
