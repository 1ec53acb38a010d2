"""Real-browser fixtures: JupyterLab started the way `make lab` does, Voila the way
`make workshop` does, and Debian's chromium driven by Playwright.

In CI (``CI=true``) a missing browser fails the run; elsewhere the tests are skipped with the
exact install command. Screenshots of every step go to ``test-output/browser/``.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = ROOT / "test-output" / "browser"
KIT = str(Path(sys.executable).with_name("medspa-kit"))


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def _unavailable(message: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{message} (CI must run the browser tests)", pytrace=False)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def hermetic_env(folder: Path) -> dict[str, str]:
    """Jupyter, IPython, matplotlib and XDG state in a temporary folder, not the user's."""
    env = dict(os.environ)
    for var in ("JUPYTER_RUNTIME_DIR", "JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "IPYTHONDIR", "MPLCONFIGDIR",
                "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        path = folder / var.lower()
        path.mkdir(parents=True, exist_ok=True)
        env[var] = str(path)
    # The kernels still find the kit's Python: the venv's own python3 kernelspec lives in sys.prefix.
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    env["MPLBACKEND"] = "Agg"
    return env


class Server:
    """A server process started by its own PID (never through a shell), stopped the same way."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path, port: int):
        self.port, self.log = port, log
        self._log_file = log.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(command, env=env, stdout=self._log_file, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def wait_ready(self, path: str | None, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log.read_text()[-3000:]}")
            try:
                if path is None:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                        return
                else:
                    with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=2) as answer:
                        if answer.status == 200:
                            return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"server not ready after {timeout} s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self._log_file.close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable("chromium is not installed: run `apt-get install -y chromium` as root")
    try:
        from playwright.sync_api import sync_playwright
    except ModuleNotFoundError:
        _unavailable("playwright is not installed: run `pip install -e '.[test]'`")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.failed_call = report.failed


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    yield tab
    if getattr(request.node, "failed_call", False):
        tab.screenshot(path=str(SHOTS / f"FAILED-{request.node.name}-end.png"))
    context.close()


def private_folder(name: str):
    """A temporary folder of our own: pytest's shared base folder is pruned by other pytest runs,
    which would pull the kernels' connection files from under a running server."""
    return tempfile.TemporaryDirectory(prefix=f"medspa-kit-{name}-")


@pytest.fixture(scope="session")
def lab():
    """JupyterLab through `medspa-kit lab` (the `make lab` entry point) on copies of the notebooks."""
    with private_folder("lab") as folder:
        yield from _lab(Path(folder))


def _lab(tmp: Path):
    env = hermetic_env(tmp)
    settings = tmp / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8")
    notebooks = tmp / "settings" / "@jupyterlab" / "notebook-extension"
    notebooks.mkdir(parents=True)
    # never stop at the "Select Kernel" dialog: start the notebook's own kernel; and render every
    # cell, not only those in view, so that a test sees the whole notebook
    (notebooks / "tracker.jupyterlab-settings").write_text(
        json.dumps({"autoStartDefaultKernel": True, "windowingMode": "none"}), encoding="utf-8")
    port = free_port()
    command = [KIT, "lab", f"--folder={tmp / 'notebooks'}", "--no-browser", "--allow-root", "--ip=127.0.0.1",
               f"--port={port}", "--ServerApp.port_retries=0", "--IdentityProvider.token=",
               "--ServerApp.password=", f"--LabApp.user_settings_dir={tmp / 'settings'}",
               f"--LabApp.workspaces_dir={tmp / 'workspaces'}"]
    server = Server(command, env, tmp / "lab.log", port)
    try:
        server.wait_ready("/api/status")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture(scope="session")
def workshop():
    """The code-free workshop view through `medspa-kit workshop` (the `make workshop` entry point)."""
    with private_folder("workshop") as folder:
        yield from _workshop(Path(folder))


def _workshop(tmp: Path):
    port = free_port()
    command = [KIT, "workshop", f"--folder={tmp / 'notebooks'}", f"--port={port}", "--no-browser",
               "--Voila.ip=127.0.0.1"]
    server = Server(command, hermetic_env(tmp), tmp / "voila.log", port)
    try:
        server.wait_ready(None)  # every GET of / starts a kernel, so only check the port
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def lab_page(lab, page, request):
    """A browser tab on the JupyterLab server; every kernel it started is shut down afterwards,
    so each test meets an idle server (kernels otherwise pile up across the session)."""
    yield page
    if getattr(request.node, "failed_call", False):
        page.screenshot(path=str(SHOTS / f"FAILED-{request.node.name}.png"))
    xsrf = next((c["value"] for c in page.context.cookies() if c["name"] == "_xsrf"), "")
    for session in page.request.get(f"{lab}/api/sessions").json():
        page.request.delete(f"{lab}/api/sessions/{session['id']}", headers={"X-XSRFToken": xsrf})


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"))


#: JavaScript: true when Run All has stalled — the kernel is idle, no cell is running or queued,
#: and some code cell was never run (``[ ]``): the click was lost or the requests were dropped, as
#: happens when Run All is clicked while a kernel is still connecting on a loaded machine.
STALLED = """() => {
  const idle = document.querySelector(".jp-Notebook-ExecutionIndicator[data-status='idle']") !== null;
  const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(el => el.textContent);
  return idle && !prompts.some(t => t.includes('*')) && prompts.some(t => /\\[ \\]/.test(t));
}"""


def run_all(page, base: str, notebook: str, last: str = ".medspa-quiz", attempts: int = 3) -> None:
    """Open a notebook in JupyterLab, run every cell from the Run menu and wait for its last
    widget (``last``: a selector; the quiz that ends every lesson). A Run All that stalls is
    clicked again, at most ``attempts`` times."""
    page.goto(f"{base}/lab/tree/{notebook}?reset")
    page.wait_for_selector(".jp-NotebookPanel")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    # clear the stored outputs first: every code cell then shows [ ] until it really runs
    page.locator(".lm-MenuBar-itemLabel", has_text="Edit").first.click()
    page.locator(".lm-Menu-item[data-command='editmenu:clear-all']").click()
    deadline = time.monotonic() + 240  # a fresh machine builds caches on first run
    for attempt in range(attempts):
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()
        stalled_since = None
        while time.monotonic() < deadline:
            if page.locator(last).count():
                page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
                return
            if page.evaluate(STALLED):
                stalled_since = stalled_since or time.monotonic()
                if time.monotonic() - stalled_since > 10:
                    break  # click Run All again
            else:
                stalled_since = None
            page.wait_for_timeout(500)
        else:
            break
    raise AssertionError(f"{notebook}: {last} did not appear after Run All ({attempt + 1} attempts)")
