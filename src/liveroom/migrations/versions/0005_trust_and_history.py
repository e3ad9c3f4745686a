"""Observed product history; the audit trail is append-only and comments are never deleted.

Revision ID: 0005_trust_and_history
Revises: 0004_comments
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_trust_and_history"
down_revision: str | Sequence[str] | None = "0004_comments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 《网络直播营销管理办法》: no deleting bad reviews to mislead, and the console's actions must
# stay as they were recorded. The database refuses, whatever code asks.
GUARDED = {"audit_log": ("UPDATE", "DELETE"), "comments": ("DELETE",)}


def upgrade() -> None:
    op.create_table(
        "product_stats",
        sa.Column("product_id", sa.String(length=32), nullable=False),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("returns", sa.Integer(), nullable=False),
        sa.Column("buyers", sa.Integer(), nullable=False),
        sa.Column("repeat_buyers", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"],
                                name=op.f("fk_product_stats_product_id_products")),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_product_stats")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""CREATE FUNCTION liveroom_refuse_change() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP; END
            $$ LANGUAGE plpgsql""")
        for table, ops in GUARDED.items():
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE {' OR '.join(ops)} ON "
                       f"{table} FOR EACH ROW EXECUTE FUNCTION liveroom_refuse_change()")
        return
    for table, ops in GUARDED.items():
        for action in ops:
            op.execute(f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {action} "
                       "refused'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in GUARDED:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute("DROP FUNCTION liveroom_refuse_change()")
    else:
        for table, ops in GUARDED.items():
            for action in ops:
                op.execute(f"DROP TRIGGER {table}_no_{action.lower()}")
    op.drop_table("product_stats")
