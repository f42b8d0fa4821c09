"""Apache Jena 5.6.0 (RIOT + Fuseki) as an independent RDF validator and SPARQL peer for tests.

The jars come from the Maven project in ``jena/pom.xml``; nothing is compiled, Maven only
resolves the dependencies and writes the classpath. Only the standard library and httpx are used.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

JENA_DIR = Path(__file__).resolve().parent / "jena"
POM = JENA_DIR / "pom.xml"
# target/ is git-ignored (tests/servers/*/target/), so the cached classpath never gets committed.
CLASSPATH_FILE = JENA_DIR / "target" / "classpath.txt"

RIOT_MAIN = "riotcmd.riot"
FUSEKI_MAIN = "org.apache.jena.fuseki.main.cmds.FusekiMainCmd"

# Explicit extension -> RIOT syntax name. Why: riot silently falls back to N-Triples for an
# unknown extension, which turns a wrong file name into confusing parse errors.
SYNTAX_BY_SUFFIX = {
    ".ttl": "Turtle",
    ".nt": "N-Triples",
    ".nq": "N-Quads",
    ".trig": "TriG",
    ".jsonld": "JSON-LD",
    ".rdf": "RDF/XML",
    ".owl": "RDF/XML",
}

# RIOT logs through Log4j2 ("12:52:32 ERROR riot :: [line: 3, col: 1 ] ..."); the JSON-LD parser
# (titanium) logs through java.util.logging ("WARNING: ..."/"SEVERE: ..."), so count both styles.
_ERROR_RE = re.compile(r"^(?:\S+\s+)?(?:ERROR|FATAL)\s|^SEVERE:", re.MULTILINE)
_WARN_RE = re.compile(r"^(?:\S+\s+)?WARN\s|^WARNING:", re.MULTILINE)

_classpath_cache: str | None = None


def _which(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise FileNotFoundError(f"{tool!r} is not on PATH (needed for the Jena test tools)")
    return path


def build_classpath() -> str:
    """Return the Jena classpath, resolving it with Maven once and caching it on disk.

    The cache is rebuilt when pom.xml is newer than it or a listed jar has disappeared
    (e.g. a wiped local Maven repository).
    """
    global _classpath_cache
    if _classpath_cache is not None:
        return _classpath_cache
    if CLASSPATH_FILE.exists() and CLASSPATH_FILE.stat().st_mtime >= POM.stat().st_mtime:
        cp = CLASSPATH_FILE.read_text().strip()
        if cp and all(Path(p).exists() for p in cp.split(os.pathsep)):
            _classpath_cache = cp
            return cp
    CLASSPATH_FILE.parent.mkdir(parents=True, exist_ok=True)
    # Write to a private file then rename, so parallel test workers never read a half-written file.
    tmp = CLASSPATH_FILE.with_name(f"classpath.{os.getpid()}.tmp")
    cmd = [
        _which("mvn"),
        "-q",
        "-B",
        "-f",
        str(POM),
        "dependency:build-classpath",
        f"-Dmdep.outputFile={tmp}",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0 or not tmp.exists():
        tmp.unlink(missing_ok=True)
        raise RuntimeError(f"Maven failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    os.replace(tmp, CLASSPATH_FILE)
    _classpath_cache = CLASSPATH_FILE.read_text().strip()
    return _classpath_cache


@dataclass(frozen=True)
class RiotResult:
    """Outcome of one ``riot --validate --strict`` run."""

    path: Path
    syntax: str
    returncode: int
    errors: int
    warnings: int
    output: str  # stdout and stderr merged: Jena's default Log4j2 setup logs to stdout

    @property
    def ok(self) -> bool:
        """True only for a clean parse.

        Why the counts matter: riot exits 1 on Log4j warnings, but JSON-LD warnings (logged via
        java.util.logging) leave the exit code at 0 while the offending value is dropped.
        """
        return self.returncode == 0 and self.errors == 0 and self.warnings == 0


def riot_validate(
    path: str | os.PathLike[str], *, syntax: str | None = None, timeout: float = 300
) -> RiotResult:
    """Validate one RDF file with RIOT in strict mode.

    ``--validate`` is ``--sink --check --strict`` in riot 5.6.0 (parse, discard, check terms);
    ``--strict`` is passed anyway so strict mode does not depend on that alias.
    ``syntax`` is a RIOT language name (``Turtle``, ``N-Triples``, ``RDF/XML``, ...); by default
    it comes from the file extension.
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(p)
    if syntax is None:
        try:
            syntax = SYNTAX_BY_SUFFIX[p.suffix.lower()]
        except KeyError:
            raise ValueError(f"unknown RDF extension {p.suffix!r}; pass syntax=") from None
    cmd = [
        _which("java"),
        "-Xmx1g",
        # Short-lived JVM on small files: C1-only JIT trims ~0.1-0.2 s per run (drop it for huge files).
        "-XX:TieredStopAtLevel=1",
        "-cp",
        build_classpath(),
        RIOT_MAIN,
        "--validate",
        "--strict",
        f"--syntax={syntax}",
        str(p),
    ]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout)
    out = proc.stdout
    return RiotResult(
        p, syntax, proc.returncode, len(_ERROR_RE.findall(out)), len(_WARN_RE.findall(out)), out
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class FusekiServer:
    """Read-only in-memory Fuseki on 127.0.0.1 serving one data file as ``/<dataset>``.

    Use as a context manager; ``query_url`` is the SPARQL query endpoint.
    """

    def __init__(
        self, data_file: str | os.PathLike[str], dataset: str = "ds", *, startup_timeout: float = 60
    ) -> None:
        self.data_file = Path(data_file).resolve()
        self.dataset = dataset.strip("/")
        self.startup_timeout = startup_timeout
        self.port: int | None = None
        self.startup_seconds: float | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: Path | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        # Fuseki 5.6.0 serves queries on /ds/sparql, /ds/query and /ds; /sparql is the canonical name.
        return f"{self.base_url}/{self.dataset}/sparql"

    def log_text(self) -> str:
        """Server log so far (stdout and stderr), for failure messages."""
        return self._log.read_text(errors="replace") if self._log and self._log.exists() else ""

    def start(self) -> FusekiServer:
        if not self.data_file.is_file():
            raise FileNotFoundError(self.data_file)
        cp = build_classpath()
        # A free port can be taken between probe and bind; retry with a new port a few times.
        for _attempt in range(3):
            self.port = _free_port()
            fd, log = tempfile.mkstemp(prefix="fuseki-", suffix=".log")
            self._log = Path(log)
            cmd = [
                _which("java"),
                "-Xmx1g",
                "-cp",
                cp,
                FUSEKI_MAIN,
                "--localhost",
                f"--port={self.port}",
                "--ping",
                f"--file={self.data_file}",
                f"/{self.dataset}",
            ]
            # Log to a file, not a pipe: nobody drains a pipe, and a full one would block the JVM.
            with os.fdopen(fd, "wb") as logf:
                self._proc = subprocess.Popen(
                    cmd, stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
                )
            if self._wait_ready():
                return self
            log_text = self.log_text()
            self.stop()
            if "BindException" not in log_text:
                break
        raise RuntimeError(f"Fuseki failed to start (deadline {self.startup_timeout}s):\n{log_text[-4000:]}")

    def _wait_ready(self) -> bool:
        """Poll with a SPARQL ASK until the dataset answers, the JVM exits, or the deadline passes."""
        assert self._proc is not None
        t0 = time.monotonic()
        deadline = t0 + self.startup_timeout
        with httpx.Client(timeout=2) as client:
            while time.monotonic() < deadline:
                if self._proc.poll() is not None:
                    return False
                try:
                    r = client.get(
                        self.query_url,
                        params={"query": "ASK {}"},
                        headers={"Accept": "application/sparql-results+json"},
                    )
                    if r.status_code == 200:
                        self.startup_seconds = time.monotonic() - t0
                        return True
                except httpx.TransportError:
                    pass  # not listening yet
                time.sleep(0.05)
        return False

    def stop(self) -> None:
        """Stop the JVM (SIGTERM, then SIGKILL) and delete the log file."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=10)
        self._proc = None
        if self._log is not None:
            self._log.unlink(missing_ok=True)
            self._log = None

    def __enter__(self) -> FusekiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
