"""Warnings about where a vault lives: cloud-synced and network folders corrupt SQLite files
(sqlite.org/howtocorrupt.html) and copy records to someone else's servers."""

from __future__ import annotations

from pathlib import Path

SYNCED_NAMES = (
    "dropbox",
    "onedrive",
    "icloud",
    "mobile documents",
    "google drive",
    "googledrive",
    "box sync",
    "nextcloud",
    "owncloud",
    "pcloud",
    "syncthing",
    "mega",
)
NETWORK_FS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "9p", "afs", "ncpfs", "davfs"}


def _mount_type(path: Path, mounts_file: Path = Path("/proc/mounts")) -> str | None:
    try:
        lines = mounts_file.read_text().splitlines()
    except OSError:
        return None
    best, fs_type = "", None
    target = str(path.resolve())
    for line in lines:
        parts = line.split()
        inside = len(parts) >= 3 and (target == parts[1] or target.startswith(parts[1].rstrip("/") + "/"))
        if inside and len(parts[1]) > len(best):
            best, fs_type = parts[1], parts[2]
    return fs_type


def location_warning(path: Path, mounts_file: Path = Path("/proc/mounts")) -> str | None:
    """One line for the user when the folder is synced or on a network; None when it looks local."""
    folder = Path(path).expanduser().resolve().parent
    lowered = [part.lower() for part in folder.parts]
    if any(part == name or part.startswith((name + " ", name + "-", name + "_"))
           for part in lowered for name in SYNCED_NAMES):
        return (
            "This vault is in a cloud-synced folder: syncing can damage it and copies your records "
            "to another company's servers. Move it to a local folder and back it up instead."
        )
    if _mount_type(folder, mounts_file) in NETWORK_FS:
        return (
            "This vault is on a network drive, where file locking is unreliable and the vault can be "
            "damaged. Keep it on this computer's own disk."
        )
    return None
