"""Attachments on a client (attach add | list | get | delete): a PDF, PNG or JPEG sealed in the vault."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from notesdesk.cli.io import Cli, EnumArg, add_command, add_group, check_out, day, short, write_out_stream
from notesdesk.cli.records import find_client, find_id
from notesdesk.core.domain.attachments import MAX_ATTACHMENT_BYTES, Attachment, AttachmentKind
from notesdesk.core.errors import NotFound, UsageError
from notesdesk.core.outputs import input_problem
from notesdesk.core.services import attachments

KIND = EnumArg(AttachmentKind)
ADD_EPILOG = f"""\
FILE must be a PDF, PNG or JPEG (told from its first bytes, not its name) of at most
{MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB. It is sealed in the vault, name and all; the file itself is
left where it is (delete it yourself if it should not stay on this computer).
"""
GET_EPILOG = """\
Writes a copy of the attachment to FILE (readable by you only; an existing FILE is replaced only with
--force); the copy is logged in the audit. Its contents are checked against the checksum taken when it
was attached.
"""


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    group = add_group(commands, "attach", "files attached to a client: a signed consent, a letter, a scan")
    add = add_command(group, "add", common, "attach a PDF, PNG or JPEG to a client (prints its id)", cmd_add,
                      ADD_EPILOG)
    add.add_argument("client", metavar="CLIENT")
    add.add_argument("file", metavar="FILE", type=Path)
    add.add_argument("--title", default="", help="what it is (default: the file's name)")
    add.add_argument("--kind", type=KIND, metavar=KIND.metavar, default=AttachmentKind.OTHER,
                     help="what kind of paper it is (default: other)")
    lst = add_command(group, "list", common, "list a client's attachments", cmd_list)
    lst.add_argument("client", metavar="CLIENT")
    get = add_command(group, "get", common, "write a copy of an attachment to a file", cmd_get, GET_EPILOG)
    get.add_argument("attachment", metavar="ID", help="the attachment id or its first 6 characters or more")
    get.add_argument("--out", type=Path, metavar="FILE", required=True, help="where to write the copy")
    get.add_argument("--force", action="store_true", help="replace FILE if it exists")
    rm = add_command(group, "delete", common, "delete an attachment (the reason is kept in the audit log)",
                     cmd_delete)
    rm.add_argument("attachment", metavar="ID", help="the attachment id or its first 6 characters or more")
    rm.add_argument("--reason", required=True, help="why, e.g. 'attached to the wrong client'")


def _input(path: Path) -> Path:
    """FILE checked before the vault is unlocked: a folder, pipe or device is refused at once (the
    size limit is the service's, with its own message)."""
    problem = input_problem(path, sys.maxsize)
    if problem:
        raise UsageError(f"Not attached: {problem}")
    if not path.exists():
        raise NotFound(f"There is no file {path}.")
    return path


def _plain(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.id,
        "client_id": attachment.client_id,
        "title": attachment.title,
        "kind": attachment.kind.value,
        "file_name": attachment.file_name,
        "media_type": attachment.media_type.value,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "added_on": attachment.added_on.isoformat(),
    }


def _size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"


def cmd_add(cli: Cli, args: argparse.Namespace) -> int:
    path = _input(Path(args.file).expanduser())
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        try:
            source = path.open("rb")
        except OSError as exc:
            raise NotFound(f"{path} cannot be read ({exc.strerror or 'error'}).") from exc
        with source:
            added = attachments.add_attachment(vault.unit_of_work(), client.id, source, path.name, args.title,
                                               args.kind)
    if cli.json:
        cli.emit_json(_plain(added))
    else:
        cli.out(added.id)
        cli.note(f"Attached {added.title} ({added.media_type.value}, {_size(added.size)}).")
    return 0


def cmd_list(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        found = attachments.list_attachments(vault.unit_of_work(), client.id)
    if cli.json:
        cli.emit_json([_plain(a) for a in found])
        return 0
    if not found:
        cli.out("No attachments.")
    for a in found:
        cli.out(f"{short(a.id)}  {day(a.added_on)}  {a.kind.value:<8} {a.media_type.value:<16} "
                f"{_size(a.size):>8}  {a.title}")
    return 0


def cmd_get(cli: Cli, args: argparse.Namespace) -> int:
    out = check_out(args.out, args.force, cli.vault_path)
    with cli.open_vault() as vault:
        attachment_id = find_id(vault, "attachment", args.attachment)

        def fill(sink: Any) -> None:
            attachments.read_attachment(vault.unit_of_work(), attachment_id, sink, purpose="export")

        write_out_stream(out, fill, cli.vault_path)
    cli.done(str(out), id=attachment_id, path=str(out))
    return 0


def cmd_delete(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        attachment_id = find_id(vault, "attachment", args.attachment)
        removed = attachments.delete_attachment(vault.unit_of_work(), attachment_id, args.reason)
    cli.done(f"Deleted {removed.title}.", id=removed.id)
    return 0
