// Response schemas in a compact notation, one line per object:
//   "name:type name:type ..."  every field is always present (required) unless its name
//   starts with '-'; a type ending in '?' may be null. Types: string, integer, boolean,
//   date, time, object (free-form), a|b|c (string enum), Name (a component below), T[]
//   (array of T), A/B (one of A or B).
// The notation mirrors serialize.cc and the handlers: a field added there is added here.
#include "openapi_responses.h"

#include <cctype>
#include <map>
#include <string>
#include <vector>

namespace rubrica::server::api {

namespace {

constexpr std::string_view kActaStates =
    "draft|review|approved|rubric|foot_signature|archived|delivered";

struct Component {
  std::string_view name;
  std::string_view fields;
};

// Every object the API returns, by name.
const std::vector<Component>& Components() {
  static const std::vector<Component> kComponents = {
      {"Ok", "ok:boolean"},
      {"Grant", "role:archivist|observer secretariat_id:integer"},
      {"Account",
       "id:integer login:string email:string person_id:integer? administrator:boolean "
       "active:boolean grants:Grant[]"},
      {"Person", "id:integer full_name:string title:string -email:string"},
      {"BrowserLogin", "account:Account expires_at:time csrf_token:string"},
      {"TokenLogin", "account:Account expires_at:time token:string"},
      {"SecretariatRoles", "id:integer name:string roles:string[]"},
      {"Me",
       "account:Account person:Person? can_sign:boolean signing_methods:pin|device[] "
       "secretariats:SecretariatRoles[]"},
      {"Credential",
       "id:integer origin:local-ca|pkcs12|efirma|external external:boolean subject:string "
       "issuer:string certificate_sha256:string not_before:time not_after:time active:boolean "
       "rfc:string"},
      {"CredentialList", "credentials:Credential[]"},
      {"InvitationAccepted", "account:Account credential:Credential?"},
      {"InvitationLookup",
       "login:string for_person:boolean name:string? expires_at:time "
       "signing_methods:pin|device[]"},
      {"ReenrolmentIssued", "person_id:integer account_id:integer expires_at:time"},
      {"SigningReadinessPerson",
       "person_id:integer full_name:string term_id:integer role:titular|substitute|facilitator "
       "seat_id:integer? account:none|invited|active can_sign:boolean "
       "signing_methods:pin|device[]"},
      {"SigningReadiness", "people:SigningReadinessPerson[]"},
      {"AccountCreated", "account:Account invitation_expires_at:time"},
      {"AccountList", "accounts:Account[]"},
      {"InvitationSent", "invitation_expires_at:time"},
      {"MemberType", "code:string label_es:string"},
      {"AgencyPeriod", "name:string address:string effective_from:date effective_to:date?"},
      {"PackageSend",
       "package:Package queued_now:boolean outbox_state:pending|sent|dead|none last_error:string "
       "answer_xml:string?"},
      {"Secretariat",
       "id:integer kind:stl|stm name:string place:string time_zone:string "
       "member_types:MemberType[] garante_member_type:string cadence:fortnightly|monthly "
       "quorum:all_seats|majority convener:garante|facilitator presider:garante|facilitator "
       "term_rule:fixed_length|administration term_months:integer max_reelections:integer "
       "administration_ends:date? same_date:refuse|warn facilitator_signs_minutes:boolean "
       "ordinary_notice_business_days:integer extraordinary_notice_business_days:integer "
       "cancellation_notice_hours:integer federal_holidays:boolean agencies:AgencyPeriod[] "
       "extra_holidays:date[] package_cosigner:none|garante|facilitator"},
      {"SecretariatList", "secretariats:Secretariat[]"},
      {"SeatHolder", "term_id:integer person:Person starts_on:date ends_on:date"},
      {"SeatWithHolders",
       "id:integer member_type:string represents:string titular:SeatHolder? "
       "substitute:SeatHolder?"},
      {"Members", "date:date seats:SeatWithHolders[] facilitator:SeatHolder?"},
      {"SeatCreated", "seat_id:integer"},
      {"PersonCreated", "person_id:integer"},
      {"PeopleList", "people:Person[]"},
      {"Term",
       "id:integer secretariat_id:integer seat_id:integer? person_id:integer "
       "role:titular|substitute|facilitator starts_on:date ends_on:date "
       "reelection_count:integer removed_on:date?"},
      {"RemovalCreated", "removal_id:integer"},
      {"TermReportFiled", "report_id:integer blob_id:string"},
      {"HandoverDocument", "kind:string ref:string blob_id:string"},
      {"Handover",
       "id:integer term_id:integer at:time recipients:integer[] documents:HandoverDocument[]"},
      {"Obligation",
       "acta_id:integer? session_id:integer? title:string acta_date:date due_on:date "
       "agency:string state:string status:pending|late|delivered_on_time|delivered_late "
       "reasons:string[] explanation_es:string"},
      {"MonthlyDeliveries", "month:string obligations:Obligation[]"},
      {"PackageRefusal", "code:string message_es:string file:string"},
      {"Package",
       "sha256:string secretariat_id:integer month:string file_name:string bytes:integer "
       "built_at:time supersedes:string? state:built|delivered|refused|awaiting_cosignature|sent|withdrawn "
       "acta_ids:integer[] cosigner:PackageCosigner? replaced_by:string? "
       "answered_at:time? timeliness:on_time|late|due refusals:PackageRefusal[] answer:string?"},
      {"PackageCosigner", "role:garante|facilitator name:string?"},
      {"PackageReaddressed", "withdrawn:string package:Package send_error:string"},
      {"PackageCosignerChange",
       "package_cosigner:none|garante|facilitator readdressed:PackageReaddressed[]"},
      {"PackageList", "month:string due_on:date packages:Package[]"},
      {"CosignPreparation",
       "ticket:string expires_at:time package_sha256:string cosigner:garante|facilitator "
       "algorithm:ecdsa-sha256|rsa-sha256 certificate_sha256:string signed_info:string "
       "digest_to_sign:string"},
      {"LateDeliveries", "obligations:Obligation[]"},
      {"AgendaItem", "position:integer title:string removal_id:integer? discussion:string"},
      {"Session",
       "id:integer secretariat_id:integer kind:ordinary|extraordinary "
       "status:convened|cancelled|open|closed starts_at:time session_date:date place:string "
       "convened_at:time notice_business_days:integer agenda_approved:boolean "
       "agenda:AgendaItem[]"},
      {"SessionList", "sessions:Session[] next_ordinary_due:date?"},
      {"Attendance",
       "person_id:integer seat_id:integer? capacity:titular|substitute|facilitator|observer"},
      {"Quorum", "seats:integer present:integer needed:integer met:boolean"},
      {"ConvocationAcknowledgement", "person_id:integer seat_id:integer at:time"},
      {"SessionDetail",
       "session:Session attendance:Attendance[] quorum:Quorum "
       "-acknowledgements:ConvocationAcknowledgement[]"},
      {"RecordPerson", "id:integer full_name:string title:string gender:neutro|femenino|masculino"},
      {"RecordSecretariat",
       "id:integer name:string place:string time_zone:string facilitator_signs_minutes:boolean"},
      {"RecordQuorum",
       "seats:integer present:integer needed:integer met:boolean rule:all_seats|majority "
       "rule_es:string"},
      {"SeatInSession",
       "seat_id:integer member_type:string member_type_label:string represents:string "
       "titular:RecordPerson? substitute:RecordPerson? presence:titular|substitute|absent"},
      {"RecordedVote", "seat_id:integer person:RecordPerson choice:yes|no|abstain"},
      {"RecordedDecision",
       "id:integer item_position:integer subject:string tally:Tally votes:RecordedVote[]"},
      {"RecordedAgreement",
       "id:integer decision_id:integer? text:string owner:RecordPerson due_on:date"},
      {"SessionMinutesRecord",
       "session:Session number_in_year:integer opened_at:time? closed_at:time? "
       "secretariat:RecordSecretariat quorum:RecordQuorum seats:SeatInSession[] "
       "facilitator:RecordPerson? facilitator_present:boolean observers:RecordPerson[] "
       "decisions:RecordedDecision[] agreements:RecordedAgreement[]"},
      {"TaskApi", "method:string path:string"},
      {"Task",
       "kind:convocation|review|rubric|foot|delivery|cannot_sign title_es:string "
       "secretariat_id:integer? secretariat_name:string acta_id:integer? session_id:integer? "
       "deadline:date? overdue:boolean ready:boolean "
       "web_route:string api:TaskApi"},
      {"TaskList", "tasks:Task[]"},
      {"Tally",
       "yes:integer no:integer abstain:integer seats:integer method:consensus|majority "
       "outcome:approved|rejected|tied"},
      {"DecisionRecorded", "decision_id:integer tally:Tally"},
      {"AgreementNote",
       "at:time author_person_id:integer note:string status:open|in_progress|done|cancelled"},
      {"Agreement",
       "id:integer secretariat_id:integer session_id:integer decision_id:integer? text:string "
       "owner_person_id:integer due_on:date status:open|in_progress|done|cancelled "
       "overdue:boolean notes:AgreementNote[]"},
      {"AgreementList", "agreements:Agreement[]"},
      {"Activity", "id:integer title:string owner_person_id:integer? due_on:date progress:integer"},
      {"Commitment", "id:integer title:string progress:integer activities:Activity[]"},
      {"Plan", "id:integer secretariat_id:integer title:string commitments:Commitment[]"},
      {"PlanList", "plans:Plan[]"},
      {"ActaSigner",
       "person_id:integer full_name:string capacity:string seat_id:integer? "
       "added_by_facilitator:boolean rubric_signed:boolean foot_signed:boolean"},
      {"ActaApproval",
       "id:integer round:integer version:integer approved_on:date tally:Tally "
       "certified:boolean certified_blob_id:string superseded:boolean content_sha256:string"},
      {"ActaSignature",
       "id:integer round:integer person_id:integer kind:rubric|foot at:time local_date:date "
       "blob_id:string warning:string"},
      {"Acta",
       "id:integer secretariat_id:integer kind:installation|session_minute "
       "session_id:integer? title:string acta_date:date state:STATES current_version:integer "
       "complete:boolean has_pdf:boolean current_blob_id:string archived_blob_id:string "
       "delivered_at:time? delivered_to:string folio:string signers:ActaSigner[] approvals:ActaApproval[] "
       "signatures:ActaSignature[]"},
      {"ActaList", "actas:Acta[]"},
      {"ActaVersionCreated", "version:integer"},
      {"ActaVersion", "version:integer content:object"},
      {"Comment",
       "id:integer version:integer person_id:integer at:time text:string page:integer? "
       "paragraph:integer?"},
      {"CommentList", "comments:Comment[]"},
      {"CommentCreated", "comment_id:integer"},
      {"SignatureOutcome",
       "signature_id:integer blob_id:string state:STATES complete:boolean warning:string "
       "acta:Acta"},
      {"ExternalPreparation",
       "ticket:string expires_at:time kind:rubric|foot input_blob_id:string algorithm:string "
       "certificate_sha256:string signed_attributes:string digest_to_sign:string"},
      {"Revision",
       "blob_id:string what:certified|rubric|foot|archived round:integer person_id:integer?"},
      {"RevisionList", "revisions:Revision[]"},
      // The verifier's report (docs/verify-report.md, format rubrica-verify-report/1).
      {"VerifyFile", "sha256:string size:integer revisions:integer"},
      {"VerifyResultSummary",
       "exit_code:integer status:valid_and_complete|invalid|incomplete|not_processed "
       "verdict:string verdict_es:string -error_code:string -error:string"},
      {"VerifySigner",
       "-name:string -title:string -subject:string -certificate_sha256:string -issuer:string "
       "-required_signer:integer? -matches_required_signer:boolean"},
      {"VerifyTime", "-utc:string? -local:string? -local_date:string? -tsa:string?"},
      {"VerifyRevocation",
       "-of:string -certificate:string -state:good|revoked|not_checked -source:string "
       "-this_update:string? -revoked_at:string? -reason:string -note:string"},
      {"VerifySignature",
       "field:string kind:certification|rubric|foot|document_timestamp|other revision:integer "
       "-byte_range:integer[] -covers_whole_revision:boolean -signer:VerifySigner "
       "-time:VerifyTime indication:string -sub_indication:string -errors:string[] "
       "-warnings:string[] -revocation:VerifyRevocation[]"},
      {"VerifyChange",
       "revision:integer allowed:boolean code:string -object:integer? message:string"},
      {"VerifyChanges", "all_allowed:boolean items:VerifyChange[]"},
      {"VerifyActa",
       "-id:string -title:string -secretariat:string -approved_on:string -time_zone:string"},
      {"VerifyCompletenessSigner",
       "-index:integer -name:string -seat:string -role:string -rubric:string "
       "-rubric_date:string? -foot:string -foot_date:string?"},
      {"VerifyCompleteness",
       "assessed:boolean -complete:boolean -reason:string -acta:VerifyActa? "
       "-certified:boolean -same_date:boolean -archived:boolean -archived_at:string? "
       "-signers:VerifyCompletenessSigner[] -missing:string[]"},
      {"VerifyDss", "certificates:integer crls:integer"},
      {"VerifyReport",
       "format:string -file:VerifyFile result:VerifyResultSummary -signatures:VerifySignature[] "
       "-dss:VerifyDss -changes:VerifyChanges -completeness:VerifyCompleteness"},
      {"Verification", "exit_code:integer report:VerifyReport/string"},
      {"Webhook",
       "id:integer secretariat_id:integer url:string events:string[] active:boolean "
       "created_at:time -secret:string"},
      {"WebhookList", "webhooks:Webhook[]"},
      {"WebhookAttempt", "attempt:integer at:time ok:boolean detail:string"},
      {"WebhookDelivery",
       "id:string event:string state:pending|sent|dead attempts:integer created_at:time "
       "-delivered_at:time -next_attempt_at:time last_error:string log:WebhookAttempt[]"},
      {"WebhookDeliveryList", "deliveries:WebhookDelivery[]"},
      {"ReminderSettings", "session_hours:integer due_business_days:integer late:boolean"},
      {"NotificationRecipient", "person_id:integer? full_name:string"},
      {"Notification",
       "id:string kind:session.convened|session.cancelled|acta.review_opened|acta.approved|"
       "acta.archived|reminder.session|delivery.due|delivery.late|package.refused|package.cosign_requested|"
       "package.cosign_withdrawn "
       "subject:string recipient:NotificationRecipient session_id:integer? "
       "acta_id:integer? created_at:time state:pending|retrying|sent|dead attempts:integer "
       "next_attempt_at:time? sent_at:time?"},
      {"NotificationPage", "notifications:Notification[] next_cursor:string?"},
      {"ArchiveSigner", "person_id:integer full_name:string capacity:string"},
      {"ArchiveRevisionLink",
       "what:string round:integer person_id:integer? sha256:string href:string"},
      {"ArchiveLinks",
       "acta:string pdf:string revisions:string revision_files:ArchiveRevisionLink[] "
       "-certified_copy:string -receipt:string"},
      {"ArchiveHit",
       "id:integer folio:string title:string kind:installation|session_minute "
       "secretariat_id:integer session_id:integer? acta_date:date "
       "state:draft|review|approved|rubric|foot_signature|archived|delivered state_es:string "
       "sealed_sha256:string? signers:ArchiveSigner[] delivered_at:time? links:ArchiveLinks"},
      {"ArchivePage", "actas:ArchiveHit[] next_cursor:string?"},
      {"MicrositeContact", "email:string phone:string address:string hours:string"},
      {"MicrositeLink", "title:string url:string"},
      {"MicrositeItem",
       "id:integer secretariat_id:integer kind:photo|video|audio|communique title:string "
       "published_on:date description:string url:string file_url:string content_type:string "
       "size:integer"},
      {"Microsite",
       "secretariat_id:integer contact:MicrositeContact links:MicrositeLink[] "
       "items:MicrositeItem[]"},
      {"OpenDataset",
       "dataset:sessions|attendance|votes|agreements|commitments title_es:string "
       "secretariat_id:integer secretariat_name:string generated_at:time licence:string "
       "licence_name_es:string licence_url:string dictionary_url:string columns:string[] "
       "rows:object[]"},
      {"OpenDataColumn", "name:string type:integer|string|date|date-time|boolean description_es:string"},
      {"OpenDatasetSpec",
       "name:string title_es:string description_es:string columns:OpenDataColumn[]"},
      {"OpenDataDictionary",
       "licence:string licence_name_es:string licence_url:string dictionary_url:string "
       "format_es:string datasets:OpenDatasetSpec[]"},
      {"SubmissionFiled",
       "folio:string kind:question|complaint|suggestion|participation status:received|answered "
       "filed_at:time"},
      {"SubmissionStatus",
       "folio:string kind:question|complaint|suggestion|participation secretariat_id:integer "
       "secretariat_name:string filed_at:time status:received|answered text:string "
       "answer:string answered_at:time?"},
      {"Submission",
       "id:integer folio:string kind:question|complaint|suggestion|participation name:string "
       "contact:string organisation:string text:string filed_at:time "
       "status:received|answered answer:string answered_at:time?"},
      {"SubmissionList", "submissions:Submission[]"},
  };
  return kComponents;
}

// Success response of each operation: a component, or "application/pdf" / "binary" (a
// body that is not JSON: a PDF, a published file, a CSV table; openapi.cc writes its type),
// or "object" for the OpenAPI document itself.
const std::map<std::string_view, std::string_view>& ByOperation() {
  static const std::map<std::string_view, std::string_view> kByOperation = {
      {"login", "BrowserLogin"},
      {"createToken", "TokenLogin"},
      {"logout", "Ok"},
      {"getMe", "Me"},
      {"lookupInvitation", "InvitationLookup"},
      {"acceptInvitation", "InvitationAccepted"},
      {"createAccount", "AccountCreated"},
      {"listAccounts", "AccountList"},
      {"reinviteAccount", "InvitationSent"},
      {"listMyCredentials", "CredentialList"},
      {"enrolMyKey", "Credential"},
      {"registerExternalCertificate", "Credential"},
      {"changeMyPin", "Credential"},
      {"issueReenrolment", "ReenrolmentIssued"},
      {"acceptReenrolment", "Credential"},
      {"listSigningReadiness", "SigningReadiness"},
      {"listSecretariats", "SecretariatList"},
      {"createSecretariat", "Secretariat"},
      {"getSecretariat", "Secretariat"},
      {"addAgency", "Secretariat"},
      {"addHoliday", "Secretariat"},
      {"listMembers", "Members"},
      {"addSeat", "SeatCreated"},
      {"startTerm", "Term"},
      {"monthlyDeliveries", "MonthlyDeliveries"},
      {"lateDeliveries", "LateDeliveries"},
      {"buildPackage", "Package"},
      {"sendPackage", "PackageSend"},
      {"preparePackageCosignature", "CosignPreparation"},
      {"finalizePackageCosignature", "PackageSend"},
      {"setPackageCosigner", "PackageCosignerChange"},
      {"addPerson", "PersonCreated"},
      {"listPeople", "PeopleList"},
      {"getPerson", "Person"},
      {"getTerm", "Term"},
      {"reelect", "Term"},
      {"proposeRemoval", "RemovalCreated"},
      {"fileTermReport", "TermReportFiled"},
      {"recordHandover", "Handover"},
      {"listSessions", "SessionList"},
      {"convene", "SessionDetail"},
      {"getSession", "SessionDetail"},
      {"getSessionRecord", "SessionMinutesRecord"},
      {"createSessionMinute", "Acta"},
      {"listMyTasks", "TaskList"},
      {"approveCancellation", "SessionDetail"},
      {"acknowledgeConvocation", "SessionDetail"},
      {"cancelSession", "SessionDetail"},
      {"recordAttendance", "SessionDetail"},
      {"recordObserver", "SessionDetail"},
      {"openSession", "SessionDetail"},
      {"approveAgenda", "SessionDetail"},
      {"recordDiscussion", "SessionDetail"},
      {"recordDecision", "DecisionRecorded"},
      {"closeSession", "SessionDetail"},
      {"listAgreements", "AgreementList"},
      {"recordAgreement", "Agreement"},
      {"getAgreement", "Agreement"},
      {"addAgreementNote", "Agreement"},
      {"listPlans", "PlanList"},
      {"createPlan", "Plan"},
      {"getPlan", "Plan"},
      {"addCommitment", "Plan"},
      {"addActivity", "Plan"},
      {"reportProgress", "Plan"},
      {"listActas", "ActaList"},
      {"createActa", "Acta"},
      {"getActa", "Acta"},
      {"addActaVersion", "ActaVersionCreated"},
      {"getActaVersion", "ActaVersion"},
      {"submitForReview", "Acta"},
      {"listComments", "CommentList"},
      {"addComment", "CommentCreated"},
      {"addRequiredSigner", "Acta"},
      {"removeRequiredSigner", "Acta"},
      {"approveActa", "Acta"},
      {"certifyActa", "Acta"},
      {"reapproveActa", "Acta"},
      {"archiveActa", "Acta"},
      {"recordDelivery", "Acta"},
      {"rubricateActa", "SignatureOutcome"},
      {"signActaFoot", "SignatureOutcome"},
      {"prepareExternalSignature", "ExternalPreparation"},
      {"finalizeExternalSignature", "SignatureOutcome"},
      {"downloadActaPdf", "application/pdf"},
      {"listActaRevisions", "RevisionList"},
      {"downloadActaRevision", "application/pdf"},
      {"verifyPdf", "Verification"},
      {"searchArchive", "ArchivePage"},
      {"downloadDeliveryReceipt", "application/pdf"},
      {"downloadCertifiedCopy", "application/zip"},
      {"listPackages", "PackageList"},
      {"downloadPackageAnswer", "binary"},
      {"getOpenApi", "object"},
      {"createWebhook", "Webhook"},
      {"listWebhooks", "WebhookList"},
      {"deactivateWebhook", "Ok"},
      {"listWebhookDeliveries", "WebhookDeliveryList"},
      {"getReminderSettings", "ReminderSettings"},
      {"listNotifications", "NotificationPage"},
      {"setReminderSettings", "ReminderSettings"},
      {"getMicrosite", "Microsite"},
      {"setMicrositeProfile", "Microsite"},
      {"addMicrositeItem", "MicrositeItem"},
      {"downloadMicrositeItem", "binary"},
      {"getOpenData", "OpenDataset"},
      {"getOpenDataCsv", "binary"},
      {"getOpenDataDictionary", "OpenDataDictionary"},
      {"fileSubmission", "SubmissionFiled"},
      {"lookupSubmission", "SubmissionStatus"},
      {"listSubmissions", "SubmissionList"},
      {"answerSubmission", "Submission"},
  };
  return kByOperation;
}

void WriteRef(JsonWriter& w, const std::string& component) {
  w.BeginObject().Field("$ref", "#/components/schemas/" + component).EndObject();
}

void WriteFieldType(JsonWriter& w, std::string type) {
  bool nullable = false;
  if (!type.empty() && type.back() == '?') {
    nullable = true;
    type.pop_back();
  }
  if (type == "STATES") type = std::string(kActaStates);
  const bool is_ref = !type.empty() && std::isupper(static_cast<unsigned char>(type[0])) &&
                      type.find('/') == std::string::npos && type.find("[]") == std::string::npos;
  if (is_ref) {
    if (!nullable) return WriteRef(w, type);
    // OpenAPI 3.0: a nullable reference is an allOf of the reference.
    w.BeginObject().Key("allOf").BeginArray();
    WriteRef(w, type);
    w.EndArray().Field("nullable", true).EndObject();
    return;
  }
  w.BeginObject();
  if (type.size() > 2 && type.substr(type.size() - 2) == "[]") {
    w.Field("type", "array").Key("items");
    WriteFieldType(w, type.substr(0, type.size() - 2));
  } else if (type.find('/') != std::string::npos) {
    w.Key("oneOf").BeginArray();
    for (const auto& alternative : SplitOn(type, '/')) WriteFieldType(w, alternative);
    w.EndArray();
  } else if (type == "date") {
    w.Field("type", "string").Field("format", "date");
  } else if (type == "time") {
    w.Field("type", "string").Field("format", "date-time");
  } else if (type == "string" || type == "integer" || type == "boolean" || type == "object") {
    w.Field("type", type);
  } else {
    w.Field("type", "string").Key("enum").BeginArray();
    for (const auto& v : SplitOn(type, '|')) w.String(v);
    w.EndArray();
  }
  if (nullable) w.Field("nullable", true);
  w.EndObject();
}

void WriteObjectSchema(JsonWriter& w, std::string_view fields) {
  std::vector<std::string> required;
  w.BeginObject().Field("type", "object").Key("properties").BeginObject();
  for (const auto& field : SplitOn(fields, ' ')) {
    const size_t colon = field.find(':');
    std::string name = field.substr(0, colon);
    const bool optional = !name.empty() && name.front() == '-';
    if (optional) name.erase(0, 1);
    if (!optional) required.push_back(name);
    w.Key(name);
    WriteFieldType(w, field.substr(colon + 1));
  }
  w.EndObject();
  if (!required.empty()) w.StringArray("required", required);
  w.EndObject();
}

}  // namespace

std::vector<std::string> SplitOn(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) out.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool WriteResponseSchema(JsonWriter& w, std::string_view operation_id) {
  const auto& by_operation = ByOperation();
  auto it = by_operation.find(operation_id);
  if (it == by_operation.end()) return false;
  if (it->second == "application/pdf" || it->second == "application/zip" ||
      it->second == "binary") {
    w.BeginObject().Field("type", "string").Field("format", "binary").EndObject();
  } else if (it->second == "object") {
    w.BeginObject().Field("type", "object").EndObject();
  } else {
    WriteRef(w, std::string(it->second));
  }
  return true;
}

void WriteResponseComponents(JsonWriter& w) {
  for (const auto& c : Components()) {
    w.Key(c.name);
    WriteObjectSchema(w, c.fields);
  }
}

}  // namespace rubrica::server::api
