"""``mkdocs build`` as ``kb build`` runs it (``python -m kb.site.engine_process PARENT
ARGS``, ARGS those of ``mkdocs build``), in a process that ends with the ``kb`` that
started it: where the system allows it (Linux), the kernel kills it when that process
dies, so that a build killed part-way (SIGKILL) leaves no engine rendering into its
staged folders; and it does not start at all if ``kb`` (pid PARENT) is gone already.
"""
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1  # prctl(2): the signal this process gets when its parent dies


def _die_with_parent(parent: int) -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the engine may outlive a killed kb
        pass
    if os.getppid() != parent:  # kb died before the line above took effect
        sys.exit(1)


def main(args: list[str]) -> int:
    _die_with_parent(int(args[0]))
    from mkdocs.__main__ import cli

    cli.main(["build", *args[1:]], prog_name="mkdocs")  # exits with mkdocs's own code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
