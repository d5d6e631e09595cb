"""`kb params` through the real command: the issue's examples, JSON, errors, None dims."""
import json
import re
import subprocess
import sys

import pytest
from helpers import kb
from hypothesis import given, settings
from hypothesis import strategies as st
from kb.errors import UsageError
from kb.params import formulas
from kb.params.layers import LAYERS
from kb.params.model import calculate


def params(tmp_path, *args: str):
    return kb("params", *args, cwd=tmp_path)


def test_one_layer_prints_counts_formula_and_output_shape(tmp_path):
    result = params(tmp_path, "Conv2D(32, (3, 3))", "--input", "28,28,1")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "3 x 3 x 1 x 32 + 32 = 320" in out
    assert "(None, 26, 26, 32)" in out
    assert re.search(r"Total params:\s+320\n", out)
    assert re.search(r"Trainable:\s+320\n", out)
    assert re.search(r"Non-trainable:\s+0\n", out)


def test_a_model_prints_a_table_and_the_totals(tmp_path):
    result = params(tmp_path, "SimpleRNN(128) -> Dense(10)", "--input", "5,10")
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if "(" in line}
    assert "(None, 128)" in rows["simple_rnn"] and "17,792" in rows["simple_rnn"]
    assert "10 x 128 + 128 x 128 + 128 = 17,792" in rows["simple_rnn"]
    assert "(None, 10)" in rows["dense"] and "128 x 10 + 10 = 1,290" in rows["dense"]
    assert re.search(r"Total params:\s+19,082\n", result.stdout)


def test_json_has_totals_and_one_object_per_layer(tmp_path):
    spec = "Conv2D(8, 3) -> BatchNormalization() -> Flatten() -> Dense(10)"
    result = params(tmp_path, spec, "--input", "6,6,1", "--json")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert {"total", "trainable", "non_trainable", "output_shape", "layers"} <= set(body)
    assert body["output_shape"] == [None, 10]
    assert [layer["name"] for layer in body["layers"]] == [
        "conv2d", "batch_normalization", "flatten", "dense"]
    for layer in body["layers"]:
        assert {"name", "output_shape", "params", "trainable", "non_trainable",
                "formula"} <= set(layer)
        assert layer["params"] == layer["trainable"] + layer["non_trainable"]
    norm = body["layers"][1]
    assert (norm["params"], norm["non_trainable"], norm["output_shape"]) == (
        32, 16, [None, 4, 4, 8])
    assert body["total"] == 80 + 32 + 128 * 10 + 10
    assert body["non_trainable"] == 16
    assert body["trainable"] == body["total"] - 16


@pytest.mark.parametrize("spec, shape, expected", [
    ("LSTM(16)", "None,8", ("(None, 16)", "4 x (8 x 16 + 16 x 16 + 16) = 1,600")),
    ("Conv2D(8, 3, padding='same')", "None,None,3", ("(None, None, None, 8)", "= 224")),
    ("Embedding(1000, 64) -> GRU(32, return_sequences=True)", "None",
     ("(None, None, 32)", "3 x (64 x 32 + 32 x 32 + 2 x 32) = 9,408")),
])
def test_none_dimensions_pass_through(tmp_path, spec, shape, expected):
    result = params(tmp_path, spec, "--input", shape)
    assert result.returncode == 0, result.stderr
    for text in expected:
        assert text in result.stdout


@pytest.mark.parametrize("spec, shape, message", [
    ("Conv2D(32, (3, 3)", "28,28,1", "cannot read the layer"),
    ("Dens(10)", "4", "unknown layer 'Dens'; did you mean 'Dense'?"),
    ("Conv2D(32, kernal_size=3)", "28,28,1", "unknown argument 'kernal_size'; did you mean"),
    ("Dense(10, activation=relu)", "4", "'relu' is not a value; quote it"),
    ("Dense(10, activation='tahn')", "4", "activation='tahn' is not an activation Keras "
     "knows; did you mean 'tanh'?"),
    ("LSTM(4, recurrent_activation=5)", "5,3", "recurrent_activation=5 is not an activation"),
    ("Dense(10, activation=['relu'])", "4", "activation=['relu'] is not an activation"),
    ("Dense(10, activation='glu')", "4", "'glu' is not supported: it halves the last axis"),
    ("Dense(units=-3)", "4", "Dense: units must be a whole number >= 1, not -3"),
    ("Dense(10, use_bias='no')", "4", "use_bias must be True or False"),
    ("Dense(2 * 5)", "4", "found an arithmetic expression"),
    ("__import__('os').system('echo hacked')", "4", "expected a layer"),
    ("Dense(10) -> ", "4", "a layer is missing after '->'"),
    ("Conv2D(8, 3)", "28,28", "expects inputs of rank 3 (height, width, channels)"),
    ("Conv2D(8, 30)", "28,28,3", "the output would be empty"),
    ("SimpleRNN(8) -> LSTM(4)", "5,3", "layer 2 of 2: LSTM: expects inputs of rank 2"),
    ("Dense(4)", "None", "must be known, not None"),
    ("Reshape((5, 5))", "4,4", "cannot reshape"),
    ("Bidirectional(Dense(3))", "5,3", "wraps a recurrent layer"),
    ("LSTM(4, return_state=True)", "5,3", "return_state=True is not supported"),
    ("Dense(4)", "28,0", "--input '28,0': dimension 2 is '0'"),
    ("Dense(4)", "a,b", "dimension 1 is 'a'"),
])
def test_bad_specs_and_shapes_exit_2_and_name_the_problem(tmp_path, spec, shape, message):
    result = params(tmp_path, spec, "--input", shape)
    assert result.returncode == 2, result.stdout
    assert message in result.stderr
    assert "Traceback" not in result.stderr and "hacked" not in result.stdout


def test_the_caret_points_at_the_wrong_argument(tmp_path):
    spec = "Dense(8) -> Conv1D(4, kernel_size=0)"
    result = params(tmp_path, spec, "--input", "5,3")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    caret = lines[lines.index(f"  {spec}") + 1]
    assert spec[caret.index("^") - 2:].startswith("kernel_size=0")


def test_kb_params_imports_neither_tensorflow_nor_numpy(tmp_path):
    command = [sys.executable, "-X", "importtime", "-m", "kb.cli", "params",
               "LSTM(8) -> Dense(2)", "--input", "4,3"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=True)
    imported = {line.split("|")[-1].strip().split(".")[0]
                for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "kb" in imported
    assert not imported & {"tensorflow", "keras", "numpy", "rich", "rapidfuzz"}


def test_the_formulas_are_plain_integer_functions():
    assert formulas.dense(128, 10) == 1290
    assert formulas.dense(128, 10, use_bias=False) == 1280
    assert formulas.conv((3, 3), 1, 32) == 320
    assert formulas.conv(3, 4, 8, use_bias=False) == 96
    assert formulas.simple_rnn(10, 128) == 17792
    assert formulas.lstm(10, 128) == 4 * 17792
    assert formulas.gru(10, 128) == 3 * (10 * 128 + 128 * 128 + 2 * 128)
    assert formulas.gru(10, 128, reset_after=False) == 3 * 17792
    assert formulas.embedding(1000, 64) == 64000
    assert formulas.batch_norm(32) == 128
    assert formulas.separable_conv((3, 3), 16, 32) == 9 * 16 + 16 * 32 + 32
    assert formulas.multi_head_attention(16, 2, 8) == 3 * (16 * 16 + 16) + 16 * 16 + 16


def test_help_describes_the_arguments(tmp_path):
    result = params(tmp_path, "--help")
    assert result.returncode == 0
    for text in ("--input", "--json", "->", "batch axis"):
        assert text in result.stdout


values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-3, 40), st.floats(-2, 2),
              st.sampled_from(["valid", "same", "causal", "concat", "relu", "x"])),
    lambda inner: st.one_of(st.tuples(inner, inner), st.lists(inner, max_size=3)),
    max_leaves=4)
argument_names = st.sampled_from(["units", "filters", "kernel_size", "strides", "padding",
                                  "use_bias", "axis", "return_sequences", "groups",
                                  "output_padding", "depth_multiplier", "target_shape"])


@st.composite
def layer_texts(draw):
    name = draw(st.sampled_from(sorted(LAYERS)))
    args = [repr(v) for v in draw(st.lists(values, max_size=3))]
    args += [f"{k}={v!r}" for k, v in draw(st.dictionaries(argument_names, values,
                                                           max_size=3)).items()]
    return f"{name}({', '.join(args)})"


@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(st.lists(layer_texts(), min_size=1, max_size=3),
       st.lists(st.one_of(st.none(), st.integers(1, 12)), min_size=1, max_size=4))
def test_any_spec_gives_a_result_or_a_usage_error(layers, shape):
    """Random arguments never crash the calculator: a result, or a clean UsageError."""
    try:
        summary = calculate(" -> ".join(layers), tuple(shape))
    except UsageError as error:
        assert str(error)
    else:
        assert summary.total == summary.trainable + summary.non_trainable >= 0


@settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(st.text(max_size=40), st.text(max_size=12))
def test_any_text_gives_a_result_or_a_usage_error(spec, shape):
    try:
        calculate(spec, shape)
    except UsageError:
        pass
