"""Generated from the migrations by `python -m notesdesk.core.storage.schema`: do not edit.

Each revision's expected structure (type, name, table, SQL with its whitespace collapsed), as
schema.py reads it: written as what each migration adds to and removes from the revision it
follows, and folded into EXPECTED below; tests/security/test_schema_snapshot.py fails when it
differs from the migrations.
"""

# ruff: noqa: E501

Entry = tuple[str, str, str, str]

HEAD = '0015'

# revision: (the revision it follows, entries added, entries removed)
CHANGES: dict[str, tuple[str | None, tuple[Entry, ...], tuple[Entry, ...]]] = {
    '0001': (
        None,
        (
            ('index', 'ix_addendum_client_id', 'addendum', 'CREATE INDEX ix_addendum_client_id ON addendum (client_id)'),
            ('index', 'ix_addendum_note_id', 'addendum', 'CREATE INDEX ix_addendum_note_id ON addendum (note_id)'),
            ('index', 'ix_episode_client_id', 'episode', 'CREATE INDEX ix_episode_client_id ON episode (client_id)'),
            ('index', 'ix_homework_client_id', 'homework', 'CREATE INDEX ix_homework_client_id ON homework (client_id)'),
            ('index', 'ix_measure_client_id', 'measure', 'CREATE INDEX ix_measure_client_id ON measure (client_id)'),
            ('index', 'ix_milestone_client_id', 'milestone', 'CREATE INDEX ix_milestone_client_id ON milestone (client_id)'),
            ('index', 'ix_note_client_id', 'note', 'CREATE INDEX ix_note_client_id ON note (client_id)'),
            ('index', 'ix_phase_client_id', 'phase', 'CREATE INDEX ix_phase_client_id ON phase (client_id)'),
            ('index', 'ix_plan_client_id', 'plan', 'CREATE INDEX ix_plan_client_id ON "plan" (client_id)'),
            ('index', 'ix_private_note_client_id', 'private_note', 'CREATE INDEX ix_private_note_client_id ON private_note (client_id)'),
            ('index', 'ix_safety_plan_client_id', 'safety_plan', 'CREATE INDEX ix_safety_plan_client_id ON safety_plan (client_id)'),
            ('index', 'sqlite_autoindex_addendum_1', 'addendum', ''),
            ('index', 'sqlite_autoindex_alembic_version_1', 'alembic_version', ''),
            ('index', 'sqlite_autoindex_client_1', 'client', ''),
            ('index', 'sqlite_autoindex_episode_1', 'episode', ''),
            ('index', 'sqlite_autoindex_homework_1', 'homework', ''),
            ('index', 'sqlite_autoindex_keyslot_1', 'keyslot', ''),
            ('index', 'sqlite_autoindex_measure_1', 'measure', ''),
            ('index', 'sqlite_autoindex_meta_1', 'meta', ''),
            ('index', 'sqlite_autoindex_milestone_1', 'milestone', ''),
            ('index', 'sqlite_autoindex_note_1', 'note', ''),
            ('index', 'sqlite_autoindex_phase_1', 'phase', ''),
            ('index', 'sqlite_autoindex_plan_1', 'plan', ''),
            ('index', 'sqlite_autoindex_private_note_1', 'private_note', ''),
            ('index', 'sqlite_autoindex_safety_plan_1', 'safety_plan', ''),
            ('index', 'sqlite_autoindex_secret_1', 'secret', ''),
            ('table', 'addendum', 'addendum', 'CREATE TABLE addendum ( id TEXT NOT NULL, note_id TEXT NOT NULL, client_id TEXT NOT NULL, rev INTEGER NOT NULL, signed INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id), FOREIGN KEY(note_id) REFERENCES note (id) ON DELETE RESTRICT, FOREIGN KEY(client_id) REFERENCES client (id) ON DELETE RESTRICT ) STRICT'),
            ('table', 'alembic_version', 'alembic_version', 'CREATE TABLE alembic_version ( version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num) )'),
            ('table', 'audit', 'audit', 'CREATE TABLE audit ( seq INTEGER NOT NULL, data BLOB NOT NULL, mac BLOB NOT NULL, PRIMARY KEY (seq) ) STRICT'),
            ('table', 'client', 'client', 'CREATE TABLE client ( id TEXT NOT NULL, rev INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id) ) STRICT'),
            ('table', 'episode', 'episode', 'CREATE TABLE episode ( id TEXT NOT NULL, client_id TEXT NOT NULL, rev INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id), FOREIGN KEY(client_id) REFERENCES client (id) ON DELETE RESTRICT ) STRICT'),
            ('table', 'homework', 'homework', 'CREATE TABLE homework ( id TEXT NOT NULL, client_id TEXT NOT NULL, rev INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id), FOREIGN KEY(client_id) REFERENCES client (id) ON DELETE RESTRICT ) STRICT'),
            ('table', 'keyslot', 'keyslot', 'CREATE TABLE keyslot ( kind TEXT NOT NULL, params TEXT NOT NULL, wrapped BLOB NOT NULL, PRIMARY KEY (kind) ) STRICT'),
            ('table', 'measure', 'measure', 'CREATE TABLE measure ( id TEXT NOT NULL, client_id TEXT NOT NULL, rev INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id), FOREIGN KEY(client_id) REFERENCES client (id) ON DELETE RESTRICT ) STRICT'),
            ('table', 'meta', 'meta', 'CREATE TABLE meta ( "key" TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY ("key") ) STRICT'),
            ('table', 'milestone', 'milestone', 'CREATE TABLE milestone ( id TEXT NOT NULL, client_id TEXT NOT NULL, rev INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id), FOREIGN KEY(client_id) REFERENCES client (id) ON DELETE RESTRICT ) STRICT'),
            ('table', 'note', 'note', 'CREATE TABLE note ( id TEXT NOT NULL, client_id TEXT NOT NULL, rev INTEGER NOT NULL, signed INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id), FOREIGN KEY(client_id) REFERENCES client (id) ON DELETE RESTRICT ) STRICT'),
            ('table', 'phase', 'phase', 'CREATE TABLE phase ( id TEXT NOT NULL, client_id TEXT NOT NULL, rev INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id), FOREIGN KEY(client_id) REFERENCES client (id) ON DELETE RESTRICT ) STRICT'),
            ('table', 'plan', 'plan', 'CREATE TABLE "plan" ( id TEXT NOT NULL, client_id TEXT NOT NULL, rev INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id), FOREIGN KEY(client_id) REFERENCES client (id) ON DELETE RESTRICT ) STRICT'),
            ('table', 'private_note', 'private_note', 'CREATE TABLE private_note ( id TEXT NOT NULL, client_id TEXT NOT NULL, rev INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id), FOREIGN KEY(client_id) REFERENCES client (id) ON DELETE RESTRICT ) STRICT'),
            ('table', 'safety_plan', 'safety_plan', 'CREATE TABLE safety_plan ( id TEXT NOT NULL, client_id TEXT NOT NULL, rev INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id), FOREIGN KEY(client_id) REFERENCES client (id) ON DELETE RESTRICT ) STRICT'),
            ('table', 'secret', 'secret', 'CREATE TABLE secret ( id TEXT NOT NULL, rev INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id) ) STRICT'),
            ('trigger', 'addendum_no_delete', 'addendum', "CREATE TRIGGER addendum_no_delete BEFORE DELETE ON addendum WHEN OLD.signed = 1 BEGIN SELECT RAISE(ABORT, 'addendum is signed and locked'); END"),
            ('trigger', 'addendum_no_update', 'addendum', "CREATE TRIGGER addendum_no_update BEFORE UPDATE ON addendum WHEN OLD.signed = 1 BEGIN SELECT RAISE(ABORT, 'addendum is signed and locked'); END"),
            ('trigger', 'audit_no_delete', 'audit', "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"),
            ('trigger', 'audit_no_update', 'audit', "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"),
            ('trigger', 'note_signed_no_delete', 'note', "CREATE TRIGGER note_signed_no_delete BEFORE DELETE ON note WHEN OLD.signed = 1 BEGIN SELECT RAISE(ABORT, 'note is signed and locked'); END"),
            ('trigger', 'note_signed_no_update', 'note', "CREATE TRIGGER note_signed_no_update BEFORE UPDATE ON note WHEN OLD.signed = 1 BEGIN SELECT RAISE(ABORT, 'note is signed and locked'); END"),
        ),
        (
        ),
    ),
    '0002': (
        '0001',
        (
            ('index', 'sqlite_autoindex_purge_1', 'purge', ''),
            ('table', 'purge', 'purge', 'CREATE TABLE purge ( client_id TEXT NOT NULL, PRIMARY KEY (client_id) ) STRICT'),
            ('trigger', 'addendum_no_delete', 'addendum', "CREATE TRIGGER addendum_no_delete BEFORE DELETE ON addendum WHEN OLD.signed = 1 AND NOT EXISTS (SELECT 1 FROM purge WHERE client_id = OLD.client_id) BEGIN SELECT RAISE(ABORT, 'addendum is signed and locked'); END"),
            ('trigger', 'note_signed_no_delete', 'note', "CREATE TRIGGER note_signed_no_delete BEFORE DELETE ON note WHEN OLD.signed = 1 AND NOT EXISTS (SELECT 1 FROM purge WHERE client_id = OLD.client_id) BEGIN SELECT RAISE(ABORT, 'note is signed and locked'); END"),
        ),
        (
            ('trigger', 'addendum_no_delete', 'addendum', "CREATE TRIGGER addendum_no_delete BEFORE DELETE ON addendum WHEN OLD.signed = 1 BEGIN SELECT RAISE(ABORT, 'addendum is signed and locked'); END"),
            ('trigger', 'note_signed_no_delete', 'note', "CREATE TRIGGER note_signed_no_delete BEFORE DELETE ON note WHEN OLD.signed = 1 BEGIN SELECT RAISE(ABORT, 'note is signed and locked'); END"),
        ),
    ),
    '0003': (
        '0002',
        (
            ('index', 'ix_pending_text_client_id', 'pending_text', 'CREATE INDEX ix_pending_text_client_id ON pending_text (client_id)'),
            ('index', 'sqlite_autoindex_pending_text_1', 'pending_text', ''),
            ('table', 'pending_text', 'pending_text', 'CREATE TABLE pending_text ( id TEXT NOT NULL, client_id TEXT NOT NULL, rev INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id), FOREIGN KEY(client_id) REFERENCES client (id) ON DELETE RESTRICT ) STRICT'),
        ),
        (
        ),
    ),
    '0004': (
        '0003',
        (
            ('table', 'audit_head', 'audit_head', 'CREATE TABLE audit_head ( id INTEGER NOT NULL, seq INTEGER NOT NULL, chain BLOB NOT NULL, rows BLOB NOT NULL, lineage TEXT NOT NULL, mac BLOB NOT NULL, PRIMARY KEY (id) ) STRICT'),
        ),
        (
        ),
    ),
    '0005': (
        '0004',
        (
            ('index', 'ix_audit_seq', 'audit', 'CREATE INDEX ix_audit_seq ON audit (seq)'),
            ('index', 'sqlite_autoindex_client_summary_1', 'client_summary', ''),
            ('table', 'client_summary', 'client_summary', 'CREATE TABLE client_summary ( id TEXT NOT NULL, rev INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id) ) STRICT'),
        ),
        (
        ),
    ),
    '0009': (
        '0005',
        (
            ('index', 'ix_diagnosis_client_id', 'diagnosis', 'CREATE INDEX ix_diagnosis_client_id ON diagnosis (client_id)'),
            ('index', 'ix_next_session_client_id', 'next_session', 'CREATE INDEX ix_next_session_client_id ON next_session (client_id)'),
            ('index', 'sqlite_autoindex_diagnosis_1', 'diagnosis', ''),
            ('index', 'sqlite_autoindex_next_session_1', 'next_session', ''),
            ('table', 'diagnosis', 'diagnosis', 'CREATE TABLE diagnosis ( id TEXT NOT NULL, client_id TEXT NOT NULL, rev INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id), FOREIGN KEY(client_id) REFERENCES client (id) ON DELETE RESTRICT ) STRICT'),
            ('table', 'next_session', 'next_session', 'CREATE TABLE next_session ( id TEXT NOT NULL, client_id TEXT NOT NULL, rev INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id), FOREIGN KEY(client_id) REFERENCES client (id) ON DELETE RESTRICT ) STRICT'),
        ),
        (
        ),
    ),
    '0010': (
        '0009',
        (
            ('index', 'ix_plan_agreement_client_id', 'plan_agreement', 'CREATE INDEX ix_plan_agreement_client_id ON plan_agreement (client_id)'),
            ('index', 'ix_plan_agreement_plan_id', 'plan_agreement', 'CREATE INDEX ix_plan_agreement_plan_id ON plan_agreement (plan_id)'),
            ('index', 'ix_plan_review_client_id', 'plan_review', 'CREATE INDEX ix_plan_review_client_id ON plan_review (client_id)'),
            ('index', 'ix_plan_review_plan_id', 'plan_review', 'CREATE INDEX ix_plan_review_plan_id ON plan_review (plan_id)'),
            ('index', 'sqlite_autoindex_plan_agreement_1', 'plan_agreement', ''),
            ('index', 'sqlite_autoindex_plan_review_1', 'plan_review', ''),
            ('table', 'plan_agreement', 'plan_agreement', 'CREATE TABLE plan_agreement ( id TEXT NOT NULL, plan_id TEXT NOT NULL, client_id TEXT NOT NULL, rev INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id), FOREIGN KEY(plan_id) REFERENCES "plan" (id) ON DELETE RESTRICT, FOREIGN KEY(client_id) REFERENCES client (id) ON DELETE RESTRICT ) STRICT'),
            ('table', 'plan_review', 'plan_review', 'CREATE TABLE plan_review ( id TEXT NOT NULL, plan_id TEXT NOT NULL, client_id TEXT NOT NULL, rev INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id), FOREIGN KEY(plan_id) REFERENCES "plan" (id) ON DELETE RESTRICT, FOREIGN KEY(client_id) REFERENCES client (id) ON DELETE RESTRICT ) STRICT'),
            ('trigger', 'plan_agreement_no_delete', 'plan_agreement', "CREATE TRIGGER plan_agreement_no_delete BEFORE DELETE ON plan_agreement WHEN NOT EXISTS (SELECT 1 FROM purge WHERE client_id = OLD.client_id) BEGIN SELECT RAISE(ABORT, 'plan agreement is append-only'); END"),
            ('trigger', 'plan_agreement_no_update', 'plan_agreement', "CREATE TRIGGER plan_agreement_no_update BEFORE UPDATE ON plan_agreement BEGIN SELECT RAISE(ABORT, 'plan agreement is append-only'); END"),
            ('trigger', 'plan_review_no_delete', 'plan_review', "CREATE TRIGGER plan_review_no_delete BEFORE DELETE ON plan_review WHEN NOT EXISTS (SELECT 1 FROM purge WHERE client_id = OLD.client_id) BEGIN SELECT RAISE(ABORT, 'plan review is signed and append-only'); END"),
            ('trigger', 'plan_review_no_update', 'plan_review', "CREATE TRIGGER plan_review_no_update BEFORE UPDATE ON plan_review BEGIN SELECT RAISE(ABORT, 'plan review is signed and append-only'); END"),
        ),
        (
        ),
    ),
    '0011': (
        '0010',
        (
            ('index', 'ix_consent_client_id', 'consent', 'CREATE INDEX ix_consent_client_id ON consent (client_id)'),
            ('index', 'ix_letter_client_id', 'letter', 'CREATE INDEX ix_letter_client_id ON letter (client_id)'),
            ('index', 'sqlite_autoindex_consent_1', 'consent', ''),
            ('index', 'sqlite_autoindex_letter_1', 'letter', ''),
            ('table', 'consent', 'consent', 'CREATE TABLE consent ( id TEXT NOT NULL, client_id TEXT NOT NULL, rev INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id), FOREIGN KEY(client_id) REFERENCES client (id) ON DELETE RESTRICT ) STRICT'),
            ('table', 'letter', 'letter', 'CREATE TABLE letter ( id TEXT NOT NULL, client_id TEXT NOT NULL, rev INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id), FOREIGN KEY(client_id) REFERENCES client (id) ON DELETE RESTRICT ) STRICT'),
        ),
        (
        ),
    ),
    '0013': (
        '0011',
        (
            ('index', 'ix_payment_client_id', 'payment', 'CREATE INDEX ix_payment_client_id ON payment (client_id)'),
            ('index', 'ix_receipt_client_id', 'receipt', 'CREATE INDEX ix_receipt_client_id ON receipt (client_id)'),
            ('index', 'sqlite_autoindex_payment_1', 'payment', ''),
            ('index', 'sqlite_autoindex_receipt_1', 'receipt', ''),
            ('table', 'payment', 'payment', 'CREATE TABLE payment ( id TEXT NOT NULL, client_id TEXT NOT NULL, rev INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id), FOREIGN KEY(client_id) REFERENCES client (id) ON DELETE RESTRICT ) STRICT'),
            ('table', 'receipt', 'receipt', 'CREATE TABLE receipt ( id TEXT NOT NULL, client_id TEXT NOT NULL, rev INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id), FOREIGN KEY(client_id) REFERENCES client (id) ON DELETE RESTRICT ) STRICT'),
        ),
        (
        ),
    ),
    '0014': (
        '0013',
        (
            ('index', 'ix_attachment_chunk_client_id', 'attachment_chunk', 'CREATE INDEX ix_attachment_chunk_client_id ON attachment_chunk (client_id)'),
            ('index', 'ix_attachment_client_id', 'attachment', 'CREATE INDEX ix_attachment_client_id ON attachment (client_id)'),
            ('index', 'sqlite_autoindex_attachment_1', 'attachment', ''),
            ('index', 'sqlite_autoindex_attachment_chunk_1', 'attachment_chunk', ''),
            ('index', 'sqlite_autoindex_attachment_chunk_2', 'attachment_chunk', ''),
            ('table', 'attachment', 'attachment', 'CREATE TABLE attachment ( id TEXT NOT NULL, client_id TEXT NOT NULL, rev INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id), FOREIGN KEY(client_id) REFERENCES client (id) ON DELETE RESTRICT ) STRICT'),
            ('table', 'attachment_chunk', 'attachment_chunk', 'CREATE TABLE attachment_chunk ( id TEXT NOT NULL, client_id TEXT NOT NULL, rev INTEGER NOT NULL, data BLOB NOT NULL, attachment_id TEXT NOT NULL, part INTEGER NOT NULL, PRIMARY KEY (id), UNIQUE (attachment_id, part), FOREIGN KEY(client_id) REFERENCES client (id) ON DELETE RESTRICT, FOREIGN KEY(attachment_id) REFERENCES attachment (id) ON DELETE RESTRICT ) STRICT'),
        ),
        (
        ),
    ),
    '0015': (
        '0014',
        (
            ('index', 'ix_sync_conflict_client_id', 'sync_conflict', 'CREATE INDEX ix_sync_conflict_client_id ON sync_conflict (client_id)'),
            ('index', 'sqlite_autoindex_sync_conflict_1', 'sync_conflict', ''),
            ('table', 'sync_conflict', 'sync_conflict', 'CREATE TABLE sync_conflict ( id TEXT NOT NULL, client_id TEXT NOT NULL, rev INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id), FOREIGN KEY(client_id) REFERENCES client (id) ON DELETE RESTRICT ) STRICT'),
        ),
        (
        ),
    ),
}

EXPECTED: dict[str, frozenset[Entry]] = {}
for _revision, (_follows, _added, _removed) in CHANGES.items():  # oldest first
    _base = EXPECTED[_follows] if _follows is not None else frozenset()
    EXPECTED[_revision] = (_base - frozenset(_removed)) | frozenset(_added)
