"""The bad-input corpus of issue 12 pushed through the workbench: every data case's
files uploaded through the assess form, every loader case's scheme text saved
through the edit form. Never a 500, never a traceback; where the command line
exits 1 the page lists the located message, naming the file as it was uploaded.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from engine.context import Context
from engine.serve.app import create_app
from engine.serve.pages import Config
from engine.serve.safety import Served, Visits
from tests.corpus.generate import Case, all_cases

pytestmark = pytest.mark.corpus

CASES = all_cases()
DATA = [c for c in CASES if c.category == "data" and not c.skip and c.mode == "worker"]
LOADER = [c for c in CASES if c.category == "loader" and not c.skip and c.mode == "worker"]


def _client(folder: Path, tmp_path: Path) -> TestClient:
    return TestClient(create_app(Config(Served.of([folder]), Context(history=tmp_path / "h.sqlite"), wait=600.0), Visits(tmp_path / "visits")))


def _csrf(client: TestClient, url: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(url).text)
    assert found
    return found.group(1)


def _argument(command: list[str], option: str) -> list[str]:
    if option not in command:
        return []
    rest = command[command.index(option) + 1:]
    return [a for a in rest[:next((i for i, a in enumerate(rest) if a.startswith("--")), len(rest))]]


def _uploads(folder: Path, paths: list[str]) -> list[tuple[str, bytes]]:
    files: list[tuple[str, bytes]] = []
    for given in paths:
        path = folder / given
        if path.is_dir():
            files += [(p.name, p.read_bytes()) for p in sorted(path.iterdir()) if p.is_file() and not p.is_symlink()]
        elif path.is_file() and not path.is_symlink():
            files.append((path.name, path.read_bytes()))
    return files


@pytest.mark.parametrize("case", DATA, ids=[c.id for c in DATA])
def test_a_corpus_data_case_uploaded_is_a_located_message_or_results(case: Case, tmp_path: Path) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    command = case.build(folder)
    if command[0] not in ("run", "explain", "report") or len(command) < 2:
        pytest.skip(f"{command[0]} takes no upload")
    scheme = command[1]
    given = [folder / p for p in _argument(command, "--data")]
    inside = [c for p in given if p.is_dir() for c in p.iterdir()]
    if any(p.is_symlink() or not (p.is_file() or p.is_dir()) for p in given + inside) or any(c.is_dir() for c in inside):
        pytest.skip("a browser uploads the contents of regular files: links, pipes and folders cannot be uploaded")
    files = _uploads(folder, _argument(command, "--data"))
    if not (folder / scheme).is_file() or not files:
        pytest.skip("the case has no scheme file or no data file to upload")
    client = _client(folder, tmp_path)
    url = f"/assess/0/{Path(scheme).as_posix()}"
    if client.get(url).status_code != 200:
        pytest.skip("the case's scheme is not a .yaml file inside the case folder")
    response = client.post(url, data={"csrf": _csrf(client, url), "source": "upload", "period": _argument(command, "--period")[:1] and _argument(command, "--period")[0] or ""},
                           files=[("files", (name, body, "application/octet-stream")) for name, body in files], follow_redirects=False)
    assert response.status_code != 500 and "Traceback" not in response.text
    if response.status_code == 303:
        assert 0 in case.exit or case.names == (), f"the CLI refuses this case ({case.exit}) but the workbench assessed it"
        assert client.get("/results").status_code == 200
        return
    assert response.status_code == 422, response.text[-1500:]
    assert 'class="problems"' in response.text
    where = re.findall(r'class="where">([^<]*)<', response.text)
    assert all(str(tmp_path) not in w for w in where), where
    # As the CLI's message names the file (case.names), the page names it as uploaded.
    names = {name for name, _ in files} | {Path(scheme).name}
    assert any(any(n in w for n in names) for w in where), where


@pytest.mark.parametrize("case", LOADER, ids=[c.id for c in LOADER])
def test_a_corpus_scheme_case_saved_in_the_editor_is_located(case: Case, tmp_path: Path) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    command = case.build(folder)
    scheme = next((a for a in command[1:] if a.endswith((".yaml", ".yml")) and (folder / a).is_file() and not (folder / a).is_symlink()), None)
    if scheme is None:
        pytest.skip("no scheme file in the case")
    try:
        text = (folder / scheme).read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        pytest.skip("a browser's textarea holds text, not these bytes")
    # The edit form saves over a valid file: start from a shipped one at the case's name.
    shutil.copy(Path(__file__).resolve().parent.parent / "schemes" / "weisheng-ting" / "weisheng-ting.yaml", folder / scheme)
    client = _client(folder, tmp_path)
    url = f"/edit/0/{Path(scheme).as_posix()}"
    page = client.get(url)
    assert page.status_code == 200
    fingerprint = re.search(r'name="fingerprint" value="([^"]*)"', page.text)
    assert fingerprint
    response = client.post(url, data={"csrf": _csrf(client, url), "fingerprint": fingerprint.group(1), "text": text, "action": "save"})
    assert response.status_code in (200, 400, 422) and "Traceback" not in response.text
    if response.status_code == 400:
        assert "无法读取提交的表单" in response.text  # beyond what a form field may hold (4 MB)
    if response.status_code == 422:
        assert 'class="problems"' in response.text
        assert (folder / (scheme + ".draft")).exists()
