"""`notesdesk --selftest`: one line per check on standard output, exit 0 only when every check passed.

The checks themselves are in core.services.selftest (no Qt), so the frozen bundle can run them offscreen.
"""

from __future__ import annotations

from notesdesk import __version__
from notesdesk.cli.io import Cli
from notesdesk.selftest import run_selftest


def run(cli: Cli) -> int:
    results = []
    for result in run_selftest():
        results.append(result)
        if not cli.json:
            cli.out(result.line())
            cli.stdout.flush()  # a slow check shows the ones before it at once
    passed = all(r.ok for r in results)
    if cli.json:
        cli.emit_json({
            "version": __version__,
            "ok": passed,
            "checks": [{"name": r.name, "ok": r.ok, "seconds": round(r.seconds, 2), "detail": r.detail}
                       for r in results],
        })
    else:
        total = sum(r.seconds for r in results)
        verdict = "passed" if passed else "FAILED"
        cli.out(f"notesdesk {__version__} self-test {verdict} in {total:.1f} s")
    return 0 if passed else 1
