"""The worker process of ``runner``: runs one snippet per request and answers
("ok", printed, 0) or ("failed", message, line)."""
import contextlib
import io
import os
import random
import sys
import traceback


def serve(connection) -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    namespaces: dict[str, dict] = {}
    while True:
        try:
            snippet, name = connection.recv()
        except (EOFError, OSError):
            return
        fresh = {"__name__": "__snippet__"}
        namespace = namespaces.setdefault(name, fresh) if name else fresh
        connection.send(run(snippet, namespace))


def run(snippet, namespace: dict) -> tuple[str, str, int]:
    saved_cwd, saved_env, saved_argv = os.getcwd(), dict(os.environ), list(sys.argv)
    _seed_everything()
    buffer = io.StringIO()
    try:
        code = compile("\n" * (snippet.line - 1) + snippet.code, snippet.path, "exec")
        with contextlib.redirect_stdout(buffer):
            exec(code, namespace)
    except SystemExit as error:
        return ("failed", f"called sys.exit({error.code!r}); a snippet must run to its end",
                snippet.line)
    except KeyboardInterrupt:
        return "failed", "raised KeyboardInterrupt", snippet.line
    except BaseException as error:  # noqa: BLE001 - reported to the parent as a failure
        return "failed", _describe(snippet, error), _line_of(snippet, error)
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        sys.argv[:] = saved_argv
        _reset_keras()
    return "ok", buffer.getvalue()[:2_000_000], 0


def _frames(snippet, error) -> list:
    return [f for f in traceback.extract_tb(error.__traceback__) if f.filename == snippet.path]


def _line_of(snippet, error) -> int:
    frames = _frames(snippet, error)
    if isinstance(error, SyntaxError) and error.filename == snippet.path:
        return error.lineno or snippet.line
    return frames[-1].lineno if frames else snippet.line


def _describe(snippet, error) -> str:
    """The snippet's own frames (file:line: code) and the exception, nothing of kb's."""
    message = "".join(traceback.format_exception_only(type(error), error)).strip()
    frames = _frames(snippet, error)
    if not frames:
        return message
    lines = snippet.code.splitlines()
    shown = []
    for frame in frames:
        index = frame.lineno - snippet.line
        text = lines[index].strip() if 0 <= index < len(lines) else ""
        shown.append(f"{frame.filename}:{frame.lineno}: {text}")
    return "\n".join([*shown, message])


def _seed_everything(seed: int = 0) -> None:
    random.seed(seed)
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed(seed)
    if "keras" in sys.modules:
        sys.modules["keras"].utils.set_random_seed(seed)


def _reset_keras() -> None:
    if "keras" in sys.modules:
        keras = sys.modules["keras"]
        keras.backend.clear_session()
        keras.config.set_dtype_policy("float32")  # a snippet may have set mixed precision
