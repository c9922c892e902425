#include "messages.h"

#include "rubrica/base/json_writer.h"

namespace rubrica::server::notify {

std::string Messages::Link(const std::string& path) const {
  std::string base = options_.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + path;
}

Status Messages::MailPerson(int64_t person_id, const std::string& id_prefix,
                            const std::string& event, MailContent content,
                            const std::string& link_path, const MessageScope& scope,
                            std::vector<store::OutboxMessage>& out) const {
  ASSIGN_OR_RETURN(workflows::PersonRecord person, wf_.people().GetPerson(person_id));
  if (!IsPlainAddress(person.email)) return Status::Ok();  // nobody to write to
  content.to = person.email;
  content.to_name = person.full_name;
  if (!link_path.empty()) content.link = Link(link_path);
  const std::string id = id_prefix + ":person-" + std::to_string(person_id);
  ASSIGN_OR_RETURN(std::string raw, ComposeMail(content, options_.From(), id, clock_.Now()));
  store::OutboxMessage m{id, "mail", person.email, std::move(raw), event, std::nullopt};
  m.secretariat_id = scope.secretariat_id;
  m.session_id = scope.session_id;
  m.acta_id = scope.acta_id;
  m.person_id = person_id;
  m.subject = content.subject;
  out.push_back(std::move(m));
  return Status::Ok();
}

Status Messages::Webhook(int64_t secretariat_id, const std::string& type,
                         const std::string& event_id, const std::string& data_json,
                         std::vector<store::OutboxMessage>& out) const {
  ASSIGN_OR_RETURN(auto subs, webhooks_.SubscribersOf(secretariat_id, type));
  if (subs.empty()) return Status::Ok();
  JsonWriter w;
  w.BeginObject()
      .Field("id", event_id)
      .Field("type", type)
      .Key("created_at").Time(clock_.Now())
      .Field("secretariat_id", secretariat_id)
      .Key("data").Raw(data_json)
      .EndObject();
  for (const auto& s : subs) {
    store::OutboxMessage m{event_id + ":webhook-" + std::to_string(s.id), "webhook", s.url, w.str(),
                           type, s.id};
    m.secretariat_id = secretariat_id;
    out.push_back(std::move(m));
  }
  return Status::Ok();
}

}  // namespace rubrica::server::notify
