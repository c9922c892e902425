// The workflows tables. Dates are 'YYYY-MM-DD' in the secretariat's zone; instants are
// RFC 3339 UTC with microseconds. Enumerations are stored by their stable names and
// guarded by CHECK constraints, so a bad write fails loudly instead of storing nonsense.
#include "rubrica/workflows/workflows.h"

namespace rubrica::workflows {

const std::vector<store::Migration>& Migrations() {
  static const std::vector<store::Migration> kMigrations = {
      {1, "secretariats, people, sessions, agreements, plans, actas", R"sql(
        CREATE TABLE wf_secretariat(
          id INTEGER PRIMARY KEY,
          kind TEXT NOT NULL CHECK(kind IN ('stl','stm')),
          name TEXT NOT NULL,
          place TEXT NOT NULL,
          time_zone TEXT NOT NULL,
          garante_member_type TEXT NOT NULL,
          cadence TEXT NOT NULL CHECK(cadence IN ('fortnightly','monthly')),
          quorum_rule TEXT NOT NULL CHECK(quorum_rule IN ('all_seats','majority')),
          convener TEXT NOT NULL CHECK(convener IN ('garante','facilitator')),
          presider TEXT NOT NULL CHECK(presider IN ('garante','facilitator')),
          term_rule TEXT NOT NULL CHECK(term_rule IN ('fixed_length','administration')),
          term_months INTEGER NOT NULL,
          max_reelections INTEGER NOT NULL,
          administration_ends TEXT,
          same_date_rule TEXT NOT NULL CHECK(same_date_rule IN ('refuse','warn')),
          facilitator_signs_minutes INTEGER NOT NULL,
          ordinary_notice_days INTEGER NOT NULL,
          extraordinary_notice_days INTEGER NOT NULL,
          cancellation_notice_hours INTEGER NOT NULL,
          federal_holidays INTEGER NOT NULL,
          created_at TEXT NOT NULL
        );
        CREATE TABLE wf_member_type(
          secretariat_id INTEGER NOT NULL REFERENCES wf_secretariat(id),
          code TEXT NOT NULL,
          label_es TEXT NOT NULL,
          position INTEGER NOT NULL,
          PRIMARY KEY(secretariat_id, code)
        );
        CREATE TABLE wf_agency(
          id INTEGER PRIMARY KEY,
          secretariat_id INTEGER NOT NULL REFERENCES wf_secretariat(id),
          name TEXT NOT NULL,
          address TEXT NOT NULL,
          effective_from TEXT NOT NULL,
          effective_to TEXT
        );
        CREATE TABLE wf_holiday(
          secretariat_id INTEGER NOT NULL REFERENCES wf_secretariat(id),
          day TEXT NOT NULL,
          reason TEXT NOT NULL,
          PRIMARY KEY(secretariat_id, day)
        );
        CREATE TABLE wf_person(
          id INTEGER PRIMARY KEY,
          full_name TEXT NOT NULL,
          title TEXT NOT NULL,
          email TEXT NOT NULL,
          created_at TEXT NOT NULL
        );
        CREATE TABLE wf_seat(
          id INTEGER PRIMARY KEY,
          secretariat_id INTEGER NOT NULL,
          member_type TEXT NOT NULL,
          represents TEXT NOT NULL,
          FOREIGN KEY(secretariat_id, member_type) REFERENCES wf_member_type(secretariat_id, code)
        );
        CREATE TABLE wf_term(
          id INTEGER PRIMARY KEY,
          secretariat_id INTEGER NOT NULL REFERENCES wf_secretariat(id),
          seat_id INTEGER REFERENCES wf_seat(id),
          person_id INTEGER NOT NULL REFERENCES wf_person(id),
          role TEXT NOT NULL CHECK(role IN ('titular','substitute','facilitator')),
          starts_on TEXT NOT NULL,
          ends_on TEXT NOT NULL,
          reelection_count INTEGER NOT NULL,
          removed_on TEXT,
          CHECK((role = 'facilitator') = (seat_id IS NULL))
        );
        CREATE INDEX wf_term_by_secretariat ON wf_term(secretariat_id, starts_on);
        CREATE TABLE wf_removal(
          id INTEGER PRIMARY KEY,
          secretariat_id INTEGER NOT NULL REFERENCES wf_secretariat(id),
          target_term_id INTEGER NOT NULL REFERENCES wf_term(id),
          reason TEXT NOT NULL,
          status TEXT NOT NULL CHECK(status IN ('proposed','removed','kept')),
          proposed_at TEXT NOT NULL,
          decided_session_id INTEGER
        );
        CREATE TABLE wf_removal_proposer(
          removal_id INTEGER NOT NULL REFERENCES wf_removal(id),
          person_id INTEGER NOT NULL REFERENCES wf_person(id),
          seat_id INTEGER NOT NULL REFERENCES wf_seat(id),
          PRIMARY KEY(removal_id, person_id)
        );
        CREATE TABLE wf_term_report(
          id INTEGER PRIMARY KEY,
          term_id INTEGER NOT NULL UNIQUE REFERENCES wf_term(id),
          blob_id TEXT NOT NULL,
          summary TEXT NOT NULL,
          filed_at TEXT NOT NULL
        );
        CREATE TABLE wf_handover(
          id INTEGER PRIMARY KEY,
          term_id INTEGER NOT NULL UNIQUE REFERENCES wf_term(id),
          at TEXT NOT NULL
        );
        CREATE TABLE wf_handover_recipient(
          handover_id INTEGER NOT NULL REFERENCES wf_handover(id),
          person_id INTEGER NOT NULL REFERENCES wf_person(id),
          position INTEGER NOT NULL,
          PRIMARY KEY(handover_id, person_id)
        );
        CREATE TABLE wf_handover_document(
          handover_id INTEGER NOT NULL REFERENCES wf_handover(id),
          position INTEGER NOT NULL,
          kind TEXT NOT NULL,
          ref TEXT NOT NULL,
          blob_id TEXT NOT NULL,
          PRIMARY KEY(handover_id, position)
        );

        CREATE TABLE wf_session(
          id INTEGER PRIMARY KEY,
          secretariat_id INTEGER NOT NULL REFERENCES wf_secretariat(id),
          kind TEXT NOT NULL CHECK(kind IN ('ordinary','extraordinary')),
          status TEXT NOT NULL CHECK(status IN ('convened','cancelled','open','closed')),
          starts_at TEXT NOT NULL,
          session_date TEXT NOT NULL,
          place TEXT NOT NULL,
          convened_at TEXT NOT NULL,
          notice_business_days INTEGER NOT NULL,
          cancelled_at TEXT,
          cancel_reason TEXT,
          opened_at TEXT,
          agenda_approved_at TEXT,
          closed_at TEXT
        );
        CREATE TABLE wf_agenda_item(
          id INTEGER PRIMARY KEY,
          session_id INTEGER NOT NULL REFERENCES wf_session(id),
          position INTEGER NOT NULL,
          title TEXT NOT NULL,
          removal_id INTEGER REFERENCES wf_removal(id),
          discussion TEXT NOT NULL DEFAULT '',
          UNIQUE(session_id, position)
        );
        CREATE TABLE wf_cancellation_approval(
          session_id INTEGER NOT NULL REFERENCES wf_session(id),
          seat_id INTEGER NOT NULL REFERENCES wf_seat(id),
          person_id INTEGER NOT NULL REFERENCES wf_person(id),
          at TEXT NOT NULL,
          PRIMARY KEY(session_id, seat_id)
        );
        CREATE TABLE wf_attendance(
          session_id INTEGER NOT NULL REFERENCES wf_session(id),
          person_id INTEGER NOT NULL REFERENCES wf_person(id),
          seat_id INTEGER REFERENCES wf_seat(id),
          capacity TEXT NOT NULL CHECK(capacity IN ('titular','substitute','facilitator','observer')),
          recorded_at TEXT NOT NULL,
          PRIMARY KEY(session_id, person_id)
        );
        CREATE UNIQUE INDEX wf_attendance_one_per_seat ON wf_attendance(session_id, seat_id)
          WHERE seat_id IS NOT NULL;
        CREATE TABLE wf_agenda_approval(
          session_id INTEGER NOT NULL REFERENCES wf_session(id),
          seat_id INTEGER NOT NULL REFERENCES wf_seat(id),
          person_id INTEGER NOT NULL REFERENCES wf_person(id),
          PRIMARY KEY(session_id, seat_id)
        );
        CREATE TABLE wf_decision(
          id INTEGER PRIMARY KEY,
          session_id INTEGER NOT NULL REFERENCES wf_session(id),
          item_id INTEGER NOT NULL REFERENCES wf_agenda_item(id),
          subject TEXT NOT NULL,
          method TEXT NOT NULL CHECK(method IN ('consensus','majority')),
          outcome TEXT NOT NULL CHECK(outcome IN ('approved','rejected','tied')),
          yes INTEGER NOT NULL,
          no INTEGER NOT NULL,
          abstain INTEGER NOT NULL,
          seats_present INTEGER NOT NULL,
          decided_at TEXT NOT NULL
        );
        CREATE TABLE wf_vote(
          decision_id INTEGER NOT NULL REFERENCES wf_decision(id),
          seat_id INTEGER NOT NULL REFERENCES wf_seat(id),
          person_id INTEGER NOT NULL REFERENCES wf_person(id),
          choice TEXT NOT NULL CHECK(choice IN ('yes','no','abstain')),
          PRIMARY KEY(decision_id, seat_id)
        );

        CREATE TABLE wf_agreement(
          id INTEGER PRIMARY KEY,
          secretariat_id INTEGER NOT NULL REFERENCES wf_secretariat(id),
          session_id INTEGER NOT NULL REFERENCES wf_session(id),
          decision_id INTEGER REFERENCES wf_decision(id),
          text TEXT NOT NULL,
          owner_person_id INTEGER NOT NULL REFERENCES wf_person(id),
          due_on TEXT NOT NULL,
          status TEXT NOT NULL CHECK(status IN ('open','in_progress','done','cancelled')),
          created_at TEXT NOT NULL
        );
        CREATE TABLE wf_agreement_note(
          id INTEGER PRIMARY KEY,
          agreement_id INTEGER NOT NULL REFERENCES wf_agreement(id),
          at TEXT NOT NULL,
          author_person_id INTEGER NOT NULL REFERENCES wf_person(id),
          note TEXT NOT NULL,
          status TEXT NOT NULL CHECK(status IN ('open','in_progress','done','cancelled'))
        );
        CREATE TABLE wf_plan(
          id INTEGER PRIMARY KEY,
          secretariat_id INTEGER NOT NULL REFERENCES wf_secretariat(id),
          title TEXT NOT NULL,
          created_at TEXT NOT NULL
        );
        CREATE TABLE wf_commitment(
          id INTEGER PRIMARY KEY,
          plan_id INTEGER NOT NULL REFERENCES wf_plan(id),
          title TEXT NOT NULL
        );
        CREATE TABLE wf_activity(
          id INTEGER PRIMARY KEY,
          commitment_id INTEGER NOT NULL REFERENCES wf_commitment(id),
          title TEXT NOT NULL,
          owner_person_id INTEGER REFERENCES wf_person(id),
          due_on TEXT NOT NULL,
          progress INTEGER NOT NULL CHECK(progress BETWEEN 0 AND 100)
        );
        CREATE TABLE wf_activity_progress(
          id INTEGER PRIMARY KEY,
          activity_id INTEGER NOT NULL REFERENCES wf_activity(id),
          at TEXT NOT NULL,
          progress INTEGER NOT NULL,
          note TEXT NOT NULL,
          by_person_id INTEGER NOT NULL REFERENCES wf_person(id)
        );

        CREATE TABLE wf_acta(
          id INTEGER PRIMARY KEY,
          secretariat_id INTEGER NOT NULL REFERENCES wf_secretariat(id),
          kind TEXT NOT NULL CHECK(kind IN ('installation','session_minute')),
          session_id INTEGER REFERENCES wf_session(id),
          title TEXT NOT NULL,
          acta_date TEXT NOT NULL,
          state TEXT NOT NULL CHECK(state IN ('draft','review','approved','rubric',
                                              'foot_signature','archived','delivered')),
          current_version INTEGER NOT NULL,
          current_blob_id TEXT NOT NULL DEFAULT '',
          archived_blob_id TEXT NOT NULL DEFAULT '',
          delivered_at TEXT,
          delivered_to TEXT NOT NULL DEFAULT '',
          receipt_blob_id TEXT NOT NULL DEFAULT '',
          created_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX wf_acta_one_minute_per_session ON wf_acta(session_id)
          WHERE kind = 'session_minute';
        CREATE INDEX wf_acta_by_date ON wf_acta(secretariat_id, acta_date);
        CREATE TABLE wf_acta_version(
          acta_id INTEGER NOT NULL REFERENCES wf_acta(id),
          version INTEGER NOT NULL,
          content_json TEXT NOT NULL,
          created_at TEXT NOT NULL,
          created_by TEXT NOT NULL,
          PRIMARY KEY(acta_id, version)
        );
        CREATE TABLE wf_acta_comment(
          id INTEGER PRIMARY KEY,
          acta_id INTEGER NOT NULL REFERENCES wf_acta(id),
          version INTEGER NOT NULL,
          person_id INTEGER NOT NULL REFERENCES wf_person(id),
          at TEXT NOT NULL,
          text TEXT NOT NULL
        );
        CREATE TABLE wf_acta_signer(
          acta_id INTEGER NOT NULL REFERENCES wf_acta(id),
          person_id INTEGER NOT NULL REFERENCES wf_person(id),
          capacity TEXT NOT NULL,
          seat_id INTEGER REFERENCES wf_seat(id),
          added_by_facilitator INTEGER NOT NULL,
          PRIMARY KEY(acta_id, person_id)
        );
        CREATE TABLE wf_acta_approval(
          id INTEGER PRIMARY KEY,
          acta_id INTEGER NOT NULL REFERENCES wf_acta(id),
          round INTEGER NOT NULL,
          version INTEGER NOT NULL,
          approved_on TEXT NOT NULL,
          approved_at TEXT NOT NULL,
          method TEXT NOT NULL CHECK(method IN ('consensus','majority')),
          yes INTEGER NOT NULL,
          no INTEGER NOT NULL,
          abstain INTEGER NOT NULL,
          certified_blob_id TEXT NOT NULL DEFAULT '',
          superseded_at TEXT,
          UNIQUE(acta_id, round)
        );
        CREATE TABLE wf_acta_approval_vote(
          approval_id INTEGER NOT NULL REFERENCES wf_acta_approval(id),
          seat_id INTEGER NOT NULL REFERENCES wf_seat(id),
          person_id INTEGER NOT NULL REFERENCES wf_person(id),
          choice TEXT NOT NULL CHECK(choice IN ('yes','no','abstain')),
          PRIMARY KEY(approval_id, seat_id)
        );
        CREATE TABLE wf_acta_signature(
          id INTEGER PRIMARY KEY,
          acta_id INTEGER NOT NULL REFERENCES wf_acta(id),
          approval_id INTEGER NOT NULL REFERENCES wf_acta_approval(id),
          person_id INTEGER NOT NULL REFERENCES wf_person(id),
          kind TEXT NOT NULL CHECK(kind IN ('rubric','foot')),
          at TEXT NOT NULL,
          local_date TEXT NOT NULL,
          blob_id TEXT NOT NULL,
          warning TEXT NOT NULL DEFAULT '',
          UNIQUE(approval_id, person_id, kind)
        );
      )sql"},
      {2, "person gender, acta folio, approved content hash", R"sql(
        ALTER TABLE wf_person ADD COLUMN gender TEXT NOT NULL DEFAULT 'neutro'
          CHECK(gender IN ('femenino','masculino','neutro'));
        ALTER TABLE wf_acta ADD COLUMN folio TEXT;
        CREATE UNIQUE INDEX wf_acta_folio ON wf_acta(folio);
        ALTER TABLE wf_acta_approval ADD COLUMN content_sha256 TEXT NOT NULL DEFAULT '';
      )sql"},
      {3, "the key each approval round's certified signer list binds", R"sql(
        CREATE TABLE wf_acta_signer_key(
          approval_id INTEGER NOT NULL REFERENCES wf_acta_approval(id),
          person_id INTEGER NOT NULL REFERENCES wf_person(id),
          key_sha256 TEXT NOT NULL,
          PRIMARY KEY(approval_id, person_id)
        );
      )sql"},
      // The archive search (archive_search.cc). wf_acta_search holds, per acta (rowid = the
      // acta's id), its title and the full names of its required signers, tokenised so that
      // accents and case do not matter ("sesion" finds "Sesión"). Triggers keep it in step
      // in the transaction of every write that changes a title, a signer or a name.
      {4, "archive search (full-text index of titles and signer names) and certified copies", R"sql(
        CREATE VIRTUAL TABLE wf_acta_search USING fts5(
          title, signers, tokenize = 'unicode61 remove_diacritics 2');
        INSERT INTO wf_acta_search(rowid, title, signers)
          SELECT a.id, a.title,
                 COALESCE((SELECT group_concat(p.full_name, ' ') FROM wf_acta_signer s
                           JOIN wf_person p ON p.id = s.person_id WHERE s.acta_id = a.id), '')
          FROM wf_acta a;
        CREATE TRIGGER wf_acta_search_insert AFTER INSERT ON wf_acta BEGIN
          INSERT INTO wf_acta_search(rowid, title, signers) VALUES (new.id, new.title, '');
        END;
        CREATE TRIGGER wf_acta_search_title AFTER UPDATE OF title ON wf_acta BEGIN
          UPDATE wf_acta_search SET title = new.title WHERE rowid = new.id;
        END;
        CREATE TRIGGER wf_acta_search_delete AFTER DELETE ON wf_acta BEGIN
          DELETE FROM wf_acta_search WHERE rowid = old.id;
        END;
        CREATE TRIGGER wf_acta_search_signer_added AFTER INSERT ON wf_acta_signer BEGIN
          UPDATE wf_acta_search SET signers = COALESCE((
            SELECT group_concat(p.full_name, ' ') FROM wf_acta_signer s
            JOIN wf_person p ON p.id = s.person_id WHERE s.acta_id = new.acta_id), '')
          WHERE rowid = new.acta_id;
        END;
        CREATE TRIGGER wf_acta_search_signer_removed AFTER DELETE ON wf_acta_signer BEGIN
          UPDATE wf_acta_search SET signers = COALESCE((
            SELECT group_concat(p.full_name, ' ') FROM wf_acta_signer s
            JOIN wf_person p ON p.id = s.person_id WHERE s.acta_id = old.acta_id), '')
          WHERE rowid = old.acta_id;
        END;
        CREATE TRIGGER wf_acta_search_person_renamed AFTER UPDATE OF full_name ON wf_person BEGIN
          UPDATE wf_acta_search SET signers = COALESCE((
            SELECT group_concat(p.full_name, ' ') FROM wf_acta_signer s
            JOIN wf_person p ON p.id = s.person_id WHERE s.acta_id = wf_acta_search.rowid), '')
          WHERE rowid IN (SELECT acta_id FROM wf_acta_signer WHERE person_id = new.id);
        END;
        CREATE INDEX wf_acta_by_date_all ON wf_acta(acta_date, id);
        CREATE INDEX wf_acta_by_session ON wf_acta(session_id);
        CREATE INDEX wf_acta_signer_by_person ON wf_acta_signer(person_id);
        -- The certified copy of each sealed revision (a ZIP blob), made once; a renewal of
        -- the seal is a new sealed revision and gets a copy of its own.
        CREATE TABLE wf_certified_copy(
          acta_id INTEGER NOT NULL REFERENCES wf_acta(id),
          sealed_blob_id TEXT NOT NULL,
          copy_blob_id TEXT NOT NULL,
          created_at TEXT NOT NULL,
          PRIMARY KEY(acta_id, sealed_blob_id)
        );
      )sql"},
      {5, "convocation acknowledgements; review comments that point at a page and paragraph", R"sql(
        ALTER TABLE wf_acta_comment ADD COLUMN page INTEGER;
        ALTER TABLE wf_acta_comment ADD COLUMN paragraph INTEGER;
        CREATE TABLE wf_convocation_ack(
          session_id INTEGER NOT NULL REFERENCES wf_session(id),
          person_id INTEGER NOT NULL REFERENCES wf_person(id),
          seat_id INTEGER NOT NULL REFERENCES wf_seat(id),
          at TEXT NOT NULL,
          PRIMARY KEY(session_id, person_id)
        );
      )sql"},
      {6, "who co-signs the monthly package's manifest", R"sql(
        ALTER TABLE wf_secretariat ADD COLUMN package_cosigner TEXT NOT NULL DEFAULT 'none'
          CHECK(package_cosigner IN ('none', 'garante', 'facilitator'));
      )sql"},
  };
  return kMigrations;
}

}  // namespace rubrica::workflows
