"""A real Neo4j Community 5.26 server for tests and development, on Java 17.

Neo4j runs embedded in ``neo4j/src/main/java/climatekg/Neo4jLauncher.java``; its jars come from
Maven (cached in ~/.m2). Use it as a context manager::

    with Neo4jServer() as server:          # auth off
        with server.driver() as driver:
            driver.execute_query("RETURN 1")

or run ``python tests/servers/neo4j_server.py [PORT] [--password PW]`` for a development server.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from neo4j import Driver, GraphDatabase
from neo4j.exceptions import ServiceUnavailable, SessionExpired

PROJECT = Path(__file__).resolve().parent / "neo4j"
POM = PROJECT / "pom.xml"
SOURCE = PROJECT / "src" / "main" / "java" / "climatekg" / "Neo4jLauncher.java"
TARGET = PROJECT / "target"
CLASSES = TARGET / "classes"
CLASSPATH_FILE = TARGET / "classpath.txt"
MAIN_CLASS = "climatekg.Neo4jLauncher"
READY = "NEO4J READY "

# The same module openings as the conf/neo4j.conf that ships with the Neo4j 5 server.
# Neo4j starts without them, but then falls back: without java.nio the page cache and Netty can't
# make DirectByteBuffers over their own memory; without java.io and sun.nio.ch it can't read the
# file descriptor behind a FileChannel, so every transaction log open logs "Unable to advise ...
# Incorrect file descriptor" warnings and skips its fadvise calls.
JVM_FLAGS = [
    "-Xms256m",  # set explicitly, else Neo4j warns that the initial heap isn't configured
    "-Xmx1g",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",  # no-op on 17; silences native-access warnings on 22+
    "-Dio.netty.tryReflectionSetAccessible=true",  # Netty: direct buffers without a Cleaner
    "-Dlog4j2.disable.jmx=true",  # no log4j MBeans, as in Neo4j's own neo4j.conf
]


def _newer_than(outputs: list[Path], inputs: list[Path]) -> bool:
    if not all(p.exists() for p in outputs):
        return False
    return min(p.stat().st_mtime for p in outputs) > max(p.stat().st_mtime for p in inputs)


def build_classpath() -> str:
    """Compile the launcher and return its full classpath (classes dir + Neo4j jars).

    Maven runs only when the pom or the launcher source changed since the last build; a file
    lock keeps parallel test processes from building at the same time.
    """
    launcher_class = CLASSES / "climatekg" / "Neo4jLauncher.class"
    TARGET.mkdir(exist_ok=True)
    with open(TARGET / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        outputs = [launcher_class, CLASSPATH_FILE]
        if not _newer_than(outputs, [POM, SOURCE]):
            mvn = shutil.which("mvn")
            if mvn is None:
                raise RuntimeError("Maven (mvn) is needed to build the Neo4j test server")
            cmd = [
                mvn,
                "-B",
                "-q",
                "-Dstyle.color=never",
                "-f",
                str(POM),
                "compile",
                "dependency:build-classpath",
                f"-Dmdep.outputFile={CLASSPATH_FILE}",
            ]
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
            if done.returncode != 0:
                raise RuntimeError(f"Maven build of the Neo4j server failed:\n{done.stdout}{done.stderr}")
            # Maven leaves up-to-date outputs untouched (say, after a pom-only edit): touch them
            # so that the check above skips Maven next time.
            for path in outputs:
                path.touch()
    return os.pathsep.join([str(CLASSES), CLASSPATH_FILE.read_text().strip()])


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _java() -> str:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    found = shutil.which("java")
    if found is None:
        raise RuntimeError("java (17 or newer) is needed for the Neo4j test server")
    return found


class Neo4jServer:
    """One Neo4j process on 127.0.0.1 with its own data directory.

    ``password=None`` turns auth off; otherwise user ``neo4j`` has that password.
    The data directory is a fresh temporary one, removed by :meth:`stop`, unless ``data_dir``
    is given (then it is the caller's and is kept). :meth:`kill` keeps it, so a test can
    :meth:`start` again on the same store and port to exercise crash recovery.
    """

    user = "neo4j"

    def __init__(
        self,
        port: int | None = None,
        password: str | None = None,
        data_dir: str | os.PathLike[str] | None = None,
        startup_timeout: float = 120.0,
    ):
        if password is not None and len(password) < 8:
            # Neo4j's own rule (dbms.security.auth_minimum_password_length); fail before the JVM does.
            raise ValueError("Neo4j passwords must be at least 8 characters")
        self.port = port or free_port()
        self.password = password
        self.auth = password is not None
        self.uri = f"bolt://127.0.0.1:{self.port}"
        self.startup_timeout = startup_timeout
        self._own_dir = data_dir is None
        self.data_dir: Path | None = None if data_dir is None else Path(data_dir)
        self.process: subprocess.Popen[str] | None = None
        self.output: collections.deque[str] = collections.deque(maxlen=200)
        self.startup_seconds: float | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> Neo4jServer:
        """Start Neo4j and return once a driver can connect (or raise RuntimeError)."""
        if self.process is not None and self.process.poll() is None:
            return self
        classpath = build_classpath()
        if self.data_dir is None:
            self.data_dir = Path(tempfile.mkdtemp(prefix="climatekg-neo4j-"))
        cmd = [
            _java(),
            *JVM_FLAGS,
            "-cp",
            classpath,
            MAIN_CLASS,
            "--port",
            str(self.port),
            "--dir",
            str(self.data_dir),
        ]
        if self.password is not None:
            cmd += ["--password", self.password]
        began = time.monotonic()
        self.output.clear()
        try:
            self._launch(cmd, began + self.startup_timeout)
        except BaseException:
            self.stop()  # Ctrl-C, a timeout or a failed login: leave no process or temp dir
            raise
        self.startup_seconds = time.monotonic() - began
        return self

    def _launch(self, cmd: list[str], deadline: float) -> None:
        # stdin stays an open pipe: the launcher exits when it closes, so the server never
        # outlives this process. Its own session keeps a terminal's Ctrl-C away from it.
        self.process = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        ready = threading.Event()
        pump = threading.Thread(target=self._pump, args=(self.process, ready), daemon=True)
        pump.start()
        while not ready.wait(0.1):
            if self.process.poll() is not None:
                pump.join(5)  # collect its last words for the error message
                self._fail(f"Neo4j exited with code {self.process.returncode}")
            if time.monotonic() > deadline:
                self._fail(f"Neo4j not ready after {self.startup_timeout:.0f} s")
        self._wait_for_bolt(deadline)

    def stop(self, timeout: float = 30.0) -> None:
        """Shut Neo4j down cleanly (SIGKILL after ``timeout``) and remove its temporary data."""
        proc, self.process = self.process, None
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(OSError):
                proc.stdin.close()  # type: ignore[union-attr]  # the launcher's polite exit
            proc.terminate()  # SIGTERM runs the same shutdown hook, in case stdin is stuck
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._own_dir and self.data_dir is not None:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            self.data_dir = None

    def kill(self) -> None:
        """SIGKILL Neo4j, as a crash would; the data directory is left for a restart."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> Neo4jServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- helpers ---------------------------------------------------------------------------

    def driver(self, **kwargs: object) -> Driver:
        """A driver for this server with the right credentials (caller closes it)."""
        auth = (self.user, self.password) if self.auth else None
        return GraphDatabase.driver(self.uri, auth=auth, **kwargs)  # type: ignore[arg-type]

    def _pump(self, proc: subprocess.Popen[str], ready: threading.Event) -> None:
        # Drain stdout for the whole run, so a chatty JVM can never block on a full pipe.
        for line in proc.stdout:  # type: ignore[union-attr]
            self.output.append(line.rstrip("\n"))
            if line.startswith(READY):
                ready.set()

    def _wait_for_bolt(self, deadline: float) -> None:
        # The launcher prints READY after Bolt is bound; this confirms a real login works.
        delay = 0.05
        with self.driver() as driver:
            while True:
                try:
                    driver.verify_connectivity()
                    return
                except (ServiceUnavailable, SessionExpired, OSError) as error:
                    if self.process is None or self.process.poll() is not None or time.monotonic() > deadline:
                        self._fail(f"Neo4j printed READY but Bolt is unreachable ({error})")
                    time.sleep(delay)
                    delay = min(delay * 2, 1.0)

    def _fail(self, message: str) -> None:
        tail = "\n".join(list(self.output)[-40:])
        raise RuntimeError(f"{message}; last output:\n{tail}")


def _interrupt(signum: int, frame: object) -> None:
    # `kill` (SIGTERM) should stop Neo4j as cleanly as Ctrl-C does.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run a development server until Ctrl-C (what ``make neo4j`` runs)."""
    parser = argparse.ArgumentParser(description="Run a Neo4j Community 5.26 server on 127.0.0.1.")
    parser.add_argument("port", nargs="?", type=int, help="Bolt port (default: a free one)")
    parser.add_argument("--password", help="turn auth on, with this password for user neo4j")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    # A shell's background jobs start with SIGINT ignored, and then Python keeps it ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        server = Neo4jServer(port=args.port, password=args.password)
    except ValueError as error:
        parser.error(str(error))
    print("Starting Neo4j (the first run downloads its jars with Maven)...", file=sys.stderr, flush=True)
    try:
        with server:
            print(server.uri, flush=True)
            auth = f"user neo4j, password {args.password}" if server.auth else "auth off"
            print(
                f"ready in {server.startup_seconds:.1f} s, {auth}, data in {server.data_dir}; Ctrl-C stops it",
                file=sys.stderr,
                flush=True,
            )
            code = server.process.wait()  # type: ignore[union-attr]
            print(f"Neo4j exited with code {code}", file=sys.stderr)
            return code or 1
    except KeyboardInterrupt:
        return 0
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
