"""Per-client keys: each client's rows are sealed under its own key, wrapped for the clinicians it is
assigned to (and the practice recovery key); the recovery key's public half is listed, certified.

Revision ID: s0002
Revises: s0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0002"
down_revision = "s0001"
branch_labels = None
depends_on = None

DEVICE_ROLE = "notesdesk_device"


def upgrade() -> None:
    op.create_table(
        "client_key",
        sa.Column("practice_id", sa.Text, sa.ForeignKey("practice.id"), primary_key=True),
        sa.Column("client_id", sa.Text, primary_key=True),
        sa.Column("key_id", sa.Text, primary_key=True),
        sa.Column("recipient", sa.Text, primary_key=True),  # a clinician id, or "recovery"
        sa.Column("role", sa.Text, nullable=False, server_default="clinician"),  # or "supervisor"
        sa.Column("wrapped", sa.LargeBinary, nullable=False),
        sa.Column("certificate", sa.LargeBinary, nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    # Empty for the first slice's rows, sealed under the practice key.
    op.add_column("change", sa.Column("client_id", sa.Text, nullable=True))
    op.add_column("change", sa.Column("key_id", sa.Text, nullable=True))
    op.create_index("ix_change_client", "change", ["practice_id", "client_id"])
    op.add_column("practice", sa.Column("recovery_public", sa.LargeBinary, nullable=True))
    op.add_column("practice", sa.Column("recovery_certificate", sa.LargeBinary, nullable=True))
    # Devices read every wrapped copy (each opens only with its recipient's key) and add copies; they
    # never change or delete one.
    op.execute(f"GRANT SELECT, INSERT ON client_key TO {DEVICE_ROLE}")
    # practice remove-clinician: a member marks a colleague's devices removed; removal is one way (a
    # removed device cannot undo it), and a removed device's pushes are refused from then on.
    op.execute(f"GRANT UPDATE (removed_at) ON device TO {DEVICE_ROLE}")
    op.execute("""CREATE FUNCTION device_removal_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD.removed_at IS NOT NULL AND (NEW.removed_at IS DISTINCT FROM OLD.removed_at
                    OR NEW.certificate IS DISTINCT FROM OLD.certificate) THEN
                RAISE EXCEPTION 'a removed device stays removed' USING ERRCODE = '42501';
            END IF;
            RETURN NEW;
        END $$""")
    op.execute(
        "CREATE TRIGGER device_removal_is_final BEFORE UPDATE ON device "
        "FOR EACH ROW EXECUTE FUNCTION device_removal_is_final()"
    )
    for table in ("push", "change"):
        op.execute(f"DROP POLICY {table}_own ON {table}")
        op.execute(
            f"CREATE POLICY {table}_own ON {table} FOR INSERT WITH CHECK (device_id = "
            "(SELECT d.id FROM device d WHERE d.role_name = current_user AND d.removed_at IS NULL))"
        )


def downgrade() -> None:
    for table in ("push", "change"):
        op.execute(f"DROP POLICY {table}_own ON {table}")
        op.execute(
            f"CREATE POLICY {table}_own ON {table} FOR INSERT WITH CHECK "
            "(device_id = (SELECT d.id FROM device d WHERE d.role_name = current_user))"
        )
    op.execute("DROP TRIGGER device_removal_is_final ON device")
    op.execute("DROP FUNCTION device_removal_is_final()")
    op.execute(f"REVOKE UPDATE (removed_at) ON device FROM {DEVICE_ROLE}")
    op.drop_column("practice", "recovery_certificate")
    op.drop_column("practice", "recovery_public")
    op.drop_index("ix_change_client", "change")
    op.drop_column("change", "key_id")
    op.drop_column("change", "client_id")
    op.drop_table("client_key")
