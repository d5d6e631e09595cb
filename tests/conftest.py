"""Fixtures shared by the tests: the real site, built once per test process in a copy."""
import pytest
from helpers import chromium, copy_project, kb, make_project, serve


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A built copy of the tiny sample project, one per test module (tests may change it)."""
    root = make_project(tmp_path_factory.mktemp("tiny"))
    built = kb("build", cwd=root)
    assert built.returncode == 0, built.stderr
    return root


@pytest.fixture(scope="session")
def real_project(tmp_path_factory):
    """A built copy of the real project (content, site and index)."""
    root = copy_project(tmp_path_factory.mktemp("real") / "project")
    result = kb("build", cwd=root, timeout=900)
    assert result.returncode == 0, result.stderr[-5000:]
    return root


@pytest.fixture(scope="session")
def real_site(real_project):
    return (real_project / "site").resolve()


@pytest.fixture(scope="session")
def site_url(real_site):
    with serve(real_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    with chromium() as browser:
        yield browser
