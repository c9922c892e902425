#include "serialize.h"

#include "accounts.h"

namespace rubrica::server::api {

using namespace rubrica::workflows;

void WriteSecretariat(JsonWriter& w, const SecretariatRecord& r) {
  const SecretariatConfig& c = r.config;
  w.BeginObject()
      .Field("id", r.id)
      .Field("kind", KindName(c.kind))
      .Field("name", c.name)
      .Field("place", c.place)
      .Field("time_zone", c.time_zone);
  w.Key("member_types").BeginArray();
  for (const auto& m : c.member_types) {
    w.BeginObject().Field("code", m.code).Field("label_es", m.label_es).EndObject();
  }
  w.EndArray();
  w.Field("garante_member_type", c.garante_member_type)
      .Field("cadence", CadenceName(c.cadence))
      .Field("quorum", QuorumRuleName(c.quorum))
      .Field("convener", OfficerName(c.convener))
      .Field("presider", OfficerName(c.presider))
      .Field("term_rule", TermRuleName(c.term_rule))
      .Field("term_months", c.term_months)
      .Field("max_reelections", c.max_reelections);
  w.Key("administration_ends");
  if (c.administration_ends) {
    w.Date(*c.administration_ends);
  } else {
    w.Null();
  }
  w.Field("same_date", SameDateRuleName(c.same_date))
      .Field("facilitator_signs_minutes", c.facilitator_signs_minutes)
      .Field("ordinary_notice_business_days", c.ordinary_notice_business_days)
      .Field("extraordinary_notice_business_days", c.extraordinary_notice_business_days)
      .Field("cancellation_notice_hours", c.cancellation_notice_hours)
      .Field("federal_holidays", c.federal_holidays)
      .Field("package_cosigner",
             c.package_cosigner ? std::string(OfficerName(*c.package_cosigner)) : "none");
  w.Key("agencies").BeginArray();
  for (const auto& a : c.agencies) {
    w.BeginObject().Field("name", a.name).Field("address", a.address);
    w.Key("effective_from").Date(a.effective_from).Key("effective_to");
    if (a.effective_to) {
      w.Date(*a.effective_to);
    } else {
      w.Null();
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("extra_holidays").BeginArray();
  for (const auto& d : c.extra_holidays) w.Date(d);
  w.EndArray();
  w.EndObject();
}

void WritePerson(JsonWriter& w, const PersonRecord& p, bool with_email) {
  w.BeginObject()
      .Field("id", p.id)
      .Field("full_name", p.full_name)
      .Field("title", p.title)
      .Field("gender", lang::GenderName(p.gender));
  if (with_email) w.Field("email", p.email);
  w.EndObject();
}

void WriteSeat(JsonWriter& w, const SeatRecord& s) {
  w.BeginObject()
      .Field("id", s.id)
      .Field("secretariat_id", s.secretariat_id)
      .Field("member_type", s.member_type)
      .Field("represents", s.represents)
      .EndObject();
}

void WriteTerm(JsonWriter& w, const TermRecord& t) {
  w.BeginObject()
      .Field("id", t.id)
      .Field("secretariat_id", t.secretariat_id)
      .Field("seat_id", t.seat_id)
      .Field("person_id", t.person_id)
      .Field("role", TermRoleName(t.role));
  w.Key("starts_on").Date(t.starts_on).Key("ends_on").Date(t.ends_on);
  w.Field("reelection_count", t.reelection_count).Key("removed_on");
  if (t.removed_on) {
    w.Date(*t.removed_on);
  } else {
    w.Null();
  }
  w.EndObject();
}

void WriteSession(JsonWriter& w, const SessionRecord& s) {
  w.BeginObject()
      .Field("id", s.id)
      .Field("secretariat_id", s.secretariat_id)
      .Field("kind", SessionKindName(s.kind))
      .Field("status", SessionStatusName(s.status));
  w.Key("starts_at").Time(s.starts_at).Key("session_date").Date(s.session_date);
  w.Field("place", s.place).Key("convened_at").Time(s.convened_at);
  w.Field("notice_business_days", s.notice_business_days)
      .Field("agenda_approved", s.agenda_approved);
  w.Key("agenda").BeginArray();
  for (const auto& item : s.agenda) {
    w.BeginObject()
        .Field("position", item.position)
        .Field("title", item.title)
        .Field("removal_id", item.removal_id)
        .Field("discussion", item.discussion)
        .EndObject();
  }
  w.EndArray().EndObject();
}

void WriteAttendance(JsonWriter& w, const AttendanceRecord& a) {
  w.BeginObject()
      .Field("person_id", a.person_id)
      .Field("seat_id", a.seat_id)
      .Field("capacity", CapacityName(a.capacity))
      .EndObject();
}

void WriteQuorum(JsonWriter& w, const QuorumReport& q) {
  w.BeginObject()
      .Field("seats", q.seats)
      .Field("present", q.present)
      .Field("needed", q.needed)
      .Field("met", q.met)
      .EndObject();
}

void WriteTally(JsonWriter& w, const Tally& t) {
  w.BeginObject()
      .Field("yes", t.yes)
      .Field("no", t.no)
      .Field("abstain", t.abstain)
      .Field("seats", t.seats)
      .Field("method", DecisionMethodName(t.method))
      .Field("outcome", DecisionOutcomeName(t.outcome))
      .EndObject();
}

void WriteAgreement(JsonWriter& w, const AgreementRecord& a) {
  w.BeginObject()
      .Field("id", a.id)
      .Field("secretariat_id", a.secretariat_id)
      .Field("session_id", a.session_id)
      .Field("decision_id", a.decision_id)
      .Field("text", a.text)
      .Field("owner_person_id", a.owner_person_id);
  w.Key("due_on").Date(a.due_on);
  w.Field("status", AgreementStatusName(a.status)).Field("overdue", a.overdue);
  w.Key("notes").BeginArray();
  for (const auto& n : a.notes) {
    w.BeginObject().Key("at").Time(n.at);
    w.Field("author_person_id", n.author_person_id)
        .Field("note", n.note)
        .Field("status", AgreementStatusName(n.status))
        .EndObject();
  }
  w.EndArray().EndObject();
}

void WritePlan(JsonWriter& w, const PlanRecord& p) {
  w.BeginObject()
      .Field("id", p.id)
      .Field("secretariat_id", p.secretariat_id)
      .Field("title", p.title);
  w.Key("commitments").BeginArray();
  for (const auto& c : p.commitments) {
    w.BeginObject().Field("id", c.id).Field("title", c.title).Field("progress", c.progress);
    w.Key("activities").BeginArray();
    for (const auto& a : c.activities) {
      w.BeginObject()
          .Field("id", a.id)
          .Field("title", a.title)
          .Field("owner_person_id", a.owner_person_id);
      w.Key("due_on").Date(a.due_on);
      w.Field("progress", a.progress).EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray().EndObject();
}

void WriteApproval(JsonWriter& w, const ActaApproval& a) {
  w.BeginObject().Field("id", a.id).Field("round", a.round).Field("version", a.version);
  w.Key("approved_on").Date(a.approved_on).Key("tally");
  WriteTally(w, a.tally);
  w.Field("certified", !a.certified_blob_id.empty())
      .Field("certified_blob_id", a.certified_blob_id)
      .Field("content_sha256", a.content_sha256)
      .Field("superseded", a.superseded)
      .EndObject();
}

void WriteActa(JsonWriter& w, const ActaRecord& a, const std::map<int64_t, std::string>& names) {
  auto name = [&](int64_t id) {
    auto it = names.find(id);
    return it == names.end() ? std::string() : it->second;
  };
  const int round = a.approvals.empty() ? 0 : a.approvals.back().round;
  auto signed_now = [&](int64_t person, SignatureKind kind) {
    for (const auto& s : a.signatures) {
      if (s.approval_round == round && s.person_id == person && s.kind == kind) return true;
    }
    return false;
  };
  w.BeginObject()
      .Field("id", a.id)
      .Field("secretariat_id", a.secretariat_id)
      .Field("kind", ActaKindName(a.kind))
      .Field("session_id", a.session_id)
      .Field("folio", a.folio)
      .Field("title", a.title);
  w.Key("acta_date").Date(a.acta_date);
  w.Field("state", ActaStateName(a.state))
      .Field("current_version", a.current_version)
      .Field("complete", a.complete)
      .Field("has_pdf", !a.current_blob_id.empty())
      .Field("current_blob_id", a.current_blob_id)
      .Field("archived_blob_id", a.archived_blob_id);
  w.Key("delivered_at");
  if (a.delivered_at) {
    w.Time(*a.delivered_at);
  } else {
    w.Null();
  }
  w.Field("delivered_to", a.delivered_to);
  w.Key("signers").BeginArray();
  for (const auto& s : a.signers) {
    w.BeginObject()
        .Field("person_id", s.person_id)
        .Field("full_name", name(s.person_id))
        .Field("capacity", s.capacity)
        .Field("seat_id", s.seat_id)
        .Field("added_by_facilitator", s.added_by_facilitator)
        .Field("rubric_signed", signed_now(s.person_id, SignatureKind::kRubric))
        .Field("foot_signed", signed_now(s.person_id, SignatureKind::kFoot))
        .EndObject();
  }
  w.EndArray();
  w.Key("approvals").BeginArray();
  for (const auto& ap : a.approvals) WriteApproval(w, ap);
  w.EndArray();
  w.Key("signatures").BeginArray();
  for (const auto& s : a.signatures) {
    w.BeginObject()
        .Field("id", s.id)
        .Field("round", s.approval_round)
        .Field("person_id", s.person_id)
        .Field("kind", SignatureKindName(s.kind));
    w.Key("at").Time(s.at).Key("local_date").Date(s.local_date);
    w.Field("blob_id", s.blob_id).Field("warning", s.warning).EndObject();
  }
  w.EndArray().EndObject();
}

void WriteObligation(JsonWriter& w, const Obligation& o) {
  w.BeginObject().Field("acta_id", o.acta_id).Field("session_id", o.session_id);
  w.Field("title", o.title).Key("acta_date").Date(o.acta_date).Key("due_on").Date(o.due_on);
  w.Field("agency", o.agency)
      .Field("state", o.state)
      .Field("status", ObligationStatusName(o.status))
      .StringArray("reasons", o.reasons)
      .Field("explanation_es", o.explanation_es)
      .EndObject();
}

void WriteAccount(JsonWriter& w, const Account& a) {
  w.BeginObject()
      .Field("id", a.id)
      .Field("login", a.login)
      .Field("email", a.email)
      .Field("person_id", a.person_id)
      .Field("administrator", a.administrator)
      .Field("active", a.active);
  w.Key("grants").BeginArray();
  for (const auto& g : a.grants) {
    w.BeginObject().Field("role", g.role).Field("secretariat_id", g.secretariat_id).EndObject();
  }
  w.EndArray().EndObject();
}

void WriteCredential(JsonWriter& w, const keys::Credential& c) {
  w.BeginObject()
      .Field("id", c.id)
      .Field("origin", keys::CredentialOriginName(c.origin))
      .Field("external", c.external)
      .Field("subject", c.certificate.SubjectString())
      .Field("issuer", c.certificate.IssuerString())
      .Field("certificate_sha256", c.certificate.FingerprintSha256());
  w.Key("not_before").Time(c.certificate.NotBefore()).Key("not_after").Time(c.certificate.NotAfter());
  w.Field("active", c.active()).Field("rfc", c.rfc).EndObject();
}

}  // namespace rubrica::server::api
