pytest_plugins = ["kb.snippets.pytest_plugin"]
