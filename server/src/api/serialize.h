// Workflow records as JSON, the way every route shows them. Field names are the records'
// own, in snake_case; enumerations by their stable names; dates "YYYY-MM-DD", instants
// RFC 3339 UTC. Pure functions.
#pragma once

#include <map>
#include <string>

#include "rubrica/base/json_writer.h"
#include "rubrica/keys/key_store.h"
#include "rubrica/workflows/workflows.h"

namespace rubrica::server::api {

struct Account;

void WriteSecretariat(JsonWriter& w, const workflows::SecretariatRecord& s);
/// `with_email`: only for the administrator and the person themselves.
void WritePerson(JsonWriter& w, const workflows::PersonRecord& p, bool with_email);
void WriteSeat(JsonWriter& w, const workflows::SeatRecord& s);
void WriteTerm(JsonWriter& w, const workflows::TermRecord& t);
void WriteSession(JsonWriter& w, const workflows::SessionRecord& s);
void WriteAttendance(JsonWriter& w, const workflows::AttendanceRecord& a);
void WriteQuorum(JsonWriter& w, const workflows::QuorumReport& q);
void WriteTally(JsonWriter& w, const workflows::Tally& t);
void WriteAgreement(JsonWriter& w, const workflows::AgreementRecord& a);
void WritePlan(JsonWriter& w, const workflows::PlanRecord& p);
/// `names`: person id -> full name, for the signers.
void WriteActa(JsonWriter& w, const workflows::ActaRecord& a,
               const std::map<int64_t, std::string>& names);
void WriteApproval(JsonWriter& w, const workflows::ActaApproval& a);
void WriteObligation(JsonWriter& w, const workflows::Obligation& o);
void WriteAccount(JsonWriter& w, const Account& a);
void WriteCredential(JsonWriter& w, const keys::Credential& c);

}  // namespace rubrica::server::api
