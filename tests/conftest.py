"""Fixtures shared by the tests: the real site, built once per test process in a copy."""
import pytest
from helpers import copy_project, kb


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
