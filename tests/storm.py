#!/usr/bin/env python3
"""A storm of signals at hako-run: storm.py RUN SANDBOX RUNS SEED

Each run starts hako-run with a short command and sends it a few random
catchable signals at random moments, from before the sandbox exists to
after the command has ended, then SIGCONT (a stop signal may have stopped
it). Each run must end within a bound, with a status the rules allow:
- the command's own (0, or 5 for the shell below; 3 when its TERM trap ran);
- 128+N for SIGINT, SIGTERM, SIGHUP, SIGQUIT sent and not caught, and with
  -I for any signal sent (the command, not pid 1, takes default actions);
- killed by a signal N that was sent, only while hako-run could not have
  blocked it yet: never once the pid file (-p) exists.
Half the runs use -u/-g, half -p, a quarter -I; four run at a time.
Prints one line per bad run and a summary; exits 1 if any was bad.
"""
import os
import random
import resource
import signal
import subprocess
import sys
import threading
import time

FOUR = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT}
CATCHABLE = [s for s in range(1, 65)
             if s not in (signal.SIGKILL, signal.SIGSTOP)]
# Signals whose default action ends a process (not ignore, not stop).
HARMLESS = {signal.SIGCHLD, signal.SIGCONT, signal.SIGURG, signal.SIGWINCH,
            signal.SIGTSTP, signal.SIGTTIN, signal.SIGTTOU}


def one(run, sandbox, tmp, rng, worker):
    opts = []
    if rng.random() < 0.5:
        opts += ["-u", "65534", "-g", "65534"]
    pidfile = None
    if rng.random() < 0.5:
        pidfile = os.path.join(tmp, "storm%d.pid" % worker)
        if os.path.exists(pidfile):
            os.unlink(pidfile)
        opts += ["-p", pidfile]
    init = rng.random() < 0.25
    if init:
        opts.append("-I")
    shell = rng.random() < 0.5
    if shell:
        cmd = ["/bin/sh", "-c",
               'trap "exit 3" TERM; trap "" USR1; sleep 0.01; exit 5']
    else:
        cmd = ["/bin/sleep", "0.01"]
    sent = [rng.choice(CATCHABLE) for _ in range(rng.randint(1, 4))]
    p = subprocess.Popen([run] + opts + [sandbox] + cmd,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    # The random delays are the test (signals at random moments of the
    # start and the run), not waits for anything.
    time.sleep(rng.uniform(0, 0.02))
    for s in sent:
        try:
            os.kill(p.pid, s)
        except ProcessLookupError:
            pass
        time.sleep(rng.uniform(0, 0.003))
    try:
        os.kill(p.pid, signal.SIGCONT)
    except ProcessLookupError:
        pass
    try:
        rc = p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        return "hang (opts %s, sent %s)" % (opts, sent)
    started = pidfile is not None and os.path.exists(pidfile)
    ok = {5, 3, 0} if shell else {0}
    ok |= {128 + s for s in sent if s in FOUR}
    if init:
        ok |= {128 + s for s in sent}
    if not started:
        ok |= {-s for s in sent if s not in HARMLESS}
    if rc not in ok:
        return "status %d (opts %s, command %s, sent %s)" % (
            rc, opts, cmd[0], [signal.Signals(s).name if s < 32 else s
                               for s in sent])
    return None


WORKERS = 4


def main():
    run, sandbox, runs, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    tmp = os.path.dirname(os.path.abspath(sandbox))
    # A signal such as SIGSEGV may end hako-run before it blocks them:
    # no core file.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    bad = []
    start = time.monotonic()

    def worker(w):
        rng = random.Random("%s/%d" % (seed, w))
        for i in range(w, runs, WORKERS):
            why = one(run, sandbox, tmp, rng, w)
            if why:
                bad.append("run %d: %s" % (i, why))

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for line in bad:
        print(line)
    print("%d runs, %d bad, %.1f s (seed %s)" % (
        runs, len(bad), time.monotonic() - start, seed))
    sys.exit(1 if bad else 0)


main()
