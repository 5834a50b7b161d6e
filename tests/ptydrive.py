"""ptydrive.py [STEP...] -- CMD...: run CMD on a new pseudo-terminal (its
controlling terminal, on 0, 1 and 2, in a session of its own), playing the
user at the keyboard. The one terminal driver of the tests (helper.bash's
ptydrive calls it).

Steps, in order, each bounded (10 s) so that nothing hangs:
  size=ROWSxCOLS  set the terminal's window size (CMD's foreground job
                  gets SIGWINCH when it changes)
  expect=TEXT     wait until CMD has printed TEXT (after the last match;
                  escapes as for send, \\r\\n counts as \\n)
  match=REGEX     the same for a Python regular expression (MULTILINE,
                  over the output with \\r\\n as \\n)
  send=TEXT       type TEXT (backslash escapes: \\n, \\x03 for Ctrl-C,
                  \\x1a Ctrl-Z, \\x1c Ctrl-\\)
  file=PATH       wait until PATH exists and is not empty
  kill=SIGNAME    send the signal to CMD
  slow            from now on read CMD's output slowly (4 KiB each 10 ms,
                  as a terminal slower than what writes to it)
Then it waits for CMD to end and prints what CMD printed (\\r\\n as \\n),
then "status N" (128+N when killed) and "mode restored" or
"mode changed" (whether the terminal's modes are those CMD started with).
A step that times out prints the output so far and "ptydrive: timed out:
STEP", kills CMD's session and exits 99.
"""
import os, pty, re, select, signal, struct, sys, termios, fcntl, time

LIMIT = 10.0


def main():
    sep = sys.argv.index("--")
    steps, cmd = sys.argv[1:sep], sys.argv[sep + 1:]
    size = None
    if steps and steps[0].startswith("size="):
        size = steps.pop(0)[5:]
    pid, fd = pty.fork()
    if pid == 0:
        try:
            if size:
                setsize(0, size)
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    # Its end, to wait for with a bound (select), not a poll.
    ended = os.pidfd_open(pid)
    # The modes of a terminal no one has changed: those CMD starts with.
    ref, ref_slave = os.openpty()
    before = termios.tcgetattr(ref)
    os.close(ref)
    os.close(ref_slave)
    out = bytearray()
    seen = 0
    closed = False
    slow = False

    def pump(timeout):
        nonlocal closed
        if closed:
            return False
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return True
        if slow:
            time.sleep(0.01)
        try:
            data = os.read(fd, 4096)
        except OSError:  # EIO: the last holder of the terminal is gone
            data = b""
        if not data:
            closed = True
            return False
        out.extend(data)
        return True

    def text():
        return bytes(out).replace(b"\r\n", b"\n")

    def fail(what):
        sys.stdout.write(out.decode(errors="replace").replace("\r\n", "\n"))
        sys.stdout.write("\nptydrive: timed out: %s\n" % what)
        sys.stdout.flush()
        # pty.fork's child leads a session and group of its own: the
        # whole job goes, not only CMD.
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
        sys.exit(99)

    def wait_output(find):
        # find(text, start): (start, end) of a match or None.
        nonlocal seen
        while True:
            found = find(text(), seen)
            if found:
                seen = found[1]
                return True
            if time.monotonic() > end or not pump(0.05) and closed:
                return False

    def literal(want):
        def find(t, start):
            at = t.find(want, start)
            return (at, at + len(want)) if at >= 0 else None
        return find

    def regex(pattern):
        compiled = re.compile(pattern.encode(), re.MULTILINE)

        def find(t, start):
            m = compiled.search(t, start)
            return m.span() if m else None
        return find

    for step in steps:
        name, _, arg = step.partition("=")
        end = time.monotonic() + LIMIT
        if name == "size":
            setsize(fd, arg)
        elif name == "expect":
            if not wait_output(literal(unescape(arg))):
                fail(step)
        elif name == "match":
            if not wait_output(regex(arg)):
                fail(step)
        elif name == "send":
            os.write(fd, unescape(arg))
        elif name == "file":
            while not (os.path.exists(arg) and os.path.getsize(arg) > 0):
                if time.monotonic() > end:
                    fail(step)
                pump(0.05)
        elif name == "kill":
            os.kill(pid, getattr(signal, arg))
        elif name == "slow":
            slow = True
        else:
            sys.exit("ptydrive: unknown step: " + step)
    end = time.monotonic() + LIMIT
    while pump(0.1):
        if time.monotonic() > end:
            fail("the end of output")
    # EIO only comes once no process holds the terminal; CMD itself may
    # still be ending.
    if not select.select([ended], [], [], max(end - time.monotonic(), 1))[0]:
        fail("the end of the command")
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(out.decode(errors="replace").replace("\r\n", "\n"))
    code = os.waitstatus_to_exitcode(status)
    print("status %d" % (code if code >= 0 else 128 - code))
    print("mode restored" if termios.tcgetattr(fd) == before else "mode changed")


def unescape(arg):
    return arg.encode().decode("unicode_escape").encode("latin-1")


def setsize(fd, arg):
    rows, cols = (int(n) for n in arg.split("x"))
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


main()
