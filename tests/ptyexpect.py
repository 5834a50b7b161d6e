#!/usr/bin/env python3
"""Drive a command under a fresh pseudo-terminal, as a person at a terminal.

    ptyexpect.py [STEP...] -- COMMAND [ARG...]

COMMAND runs with the terminal as its controlling terminal (on 0, 1, 2),
in a session of its own. The STEPs run in order:
    expect:REGEX   wait until the output so far (since the last expect)
                   matches REGEX (Python re, MULTILINE)
    send:TEXT      type TEXT; backslash escapes apply (\\x03 is Ctrl-C,
                   \\x1a Ctrl-Z, \\x1c Ctrl-\\, \\n Enter)
Afterwards the output is read until the terminal closes, COMMAND is
waited for, the whole output is written to stdout (CR LF as LF) and the
exit status is COMMAND's. No step waits more than TIMEOUT seconds (env
PTY_TIMEOUT, default 10): then the output so far goes to stderr, the
command's session is killed, and the status is 124.
"""
import os
import pty
import re
import select
import signal
import sys
import time


def main():
    args = sys.argv[1:]
    if "--" not in args:
        sys.exit("usage: ptyexpect.py [STEP...] -- COMMAND [ARG...]")
    cut = args.index("--")
    steps, cmd = args[:cut], args[cut + 1:]
    timeout = float(os.environ.get("PTY_TIMEOUT", "10"))
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    out = b""
    seen = 0  # where the next expect starts looking

    def give_up(why):
        sys.stderr.write("ptydrive.py: %s\n--- output ---\n%s\n" %
                         (why, out.decode(errors="replace")))
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
        os.waitpid(pid, 0)
        sys.exit(124)

    def read_some(deadline):
        nonlocal out
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return None
        try:
            data = os.read(fd, 4096)
        except OSError:  # EIO: the last holder of the terminal is gone
            return b""
        out += data
        return data

    for step in steps:
        kind, _, arg = step.partition(":")
        if kind == "send":
            os.write(fd, arg.encode().decode("unicode_escape").encode("latin-1"))
        elif kind == "expect":
            pattern = re.compile(arg.encode(), re.MULTILINE)
            deadline = time.monotonic() + timeout
            while True:
                m = pattern.search(out.replace(b"\r\n", b"\n"), seen)
                if m:
                    seen = m.end()
                    break
                data = read_some(deadline)
                if data is None:
                    give_up("timed out waiting for %r" % arg)
                if data == b"":
                    give_up("terminal closed waiting for %r" % arg)
        else:
            sys.exit("ptydrive.py: unknown step: %s" % step)
    deadline = time.monotonic() + timeout
    while True:
        data = read_some(deadline)
        if data is None:
            give_up("timed out waiting for the end")
        if data == b"":
            break
    end = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > end:
            give_up("timed out waiting for the command to exit")
        time.sleep(0.01)
    sys.stdout.write(out.decode(errors="replace").replace("\r\n", "\n"))
    sys.exit(os.waitstatus_to_exitcode(status))


main()
