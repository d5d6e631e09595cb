"""`kb params` against real Keras: random layer configurations, same counts and shapes.

Every example builds the Keras layer on ``keras.Input(shape=...)`` and compares
``count_params()``, the trainable / non-trainable split and the output shape with the
calculator; when one side refuses a configuration, the other must refuse it too. The
examples are derandomized for CI; ``KB_PARAMS_EXAMPLES=2000`` runs that many random
examples per test instead.
"""
import os
import re

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from kb.errors import UsageError  # noqa: E402
from kb.params.model import calculate  # noqa: E402

ON_DEMAND = int(os.environ.get("KB_PARAMS_EXAMPLES", "0"))
CHECKED = {"compared": 0, "refused": 0}


def examples(count: int):
    """Hypothesis settings: ``count`` fixed examples in CI, or the on-demand number."""
    return settings(max_examples=ON_DEMAND or count, derandomize=not ON_DEMAND,
                    deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


class L:
    """A layer both ways: ``str()`` is the kb spec, ``build()`` the Keras layer."""

    def __init__(self, name: str, *args, **kwargs):
        self.name, self.args, self.kwargs = name, args, kwargs

    def __str__(self) -> str:
        parts = [str(a) if isinstance(a, L) else repr(a) for a in self.args]
        parts += [f"{k}={v}" if isinstance(v, L) else f"{k}={v!r}"
                  for k, v in self.kwargs.items()]
        return f"{self.name}({', '.join(parts)})"

    __repr__ = __str__

    def build(self):
        args = [a.build() if isinstance(a, L) else a for a in self.args]
        kwargs = {k: v.build() if isinstance(v, L) else v for k, v in self.kwargs.items()}
        return getattr(keras.layers, self.name)(*args, **kwargs)


def weights(layer_weights) -> int:
    return sum(int(keras.ops.size(w)) for w in layer_weights)


def compare(layers: list[L], shape: tuple) -> None:
    """The calculator and Keras agree on ``layers`` applied in turn to ``shape``."""
    spec = " -> ".join(str(layer) for layer in layers)
    try:
        ours = calculate(spec, shape)
    except UsageError as error:
        ours = error
    try:
        built = [layer.build() for layer in layers]
        tensor, shapes = keras.Input(shape=shape), []
        for layer in built:
            is_attention = isinstance(layer, keras.layers.MultiHeadAttention)
            tensor = layer(tensor, tensor) if is_attention else layer(tensor)
            shapes.append(tuple(tensor.shape))
    except Exception as error:  # Keras refuses: so must we
        assert isinstance(ours, UsageError), (
            f"Keras refuses {spec} on {shape} ({type(error).__name__}: {error}) "
            f"but kb params gives {ours}")
        CHECKED["refused"] += 1
        return
    assert not isinstance(ours, UsageError), f"kb params refuses {spec} on {shape}: {ours}"
    for layer, keras_shape, row in zip(built, shapes, ours.rows, strict=True):
        assert (None, *row.output_shape) == keras_shape, f"{spec} on {shape}: {row.name}"
        assert (row.params, row.trainable, row.non_trainable) == (
            layer.count_params(), weights(layer.trainable_weights),
            weights(layer.non_trainable_weights)), f"{spec} on {shape}: {row.formula}"
        expression, _, total = row.formula.rpartition(" = ")
        if not expression:  # a layer without weights
            assert row.formula == "0" and row.params == 0, row.formula
            continue
        assert re.fullmatch(r"[0-9 x+()]+", expression), row.formula
        assert eval(expression.replace(" x ", " * ")) == row.params == int(  # noqa: S307
            total.replace(",", "")), row.formula
    CHECKED["compared"] += 1


# Building blocks.

dim = st.integers(1, 7)
maybe_none = st.one_of(dim, dim, dim, st.none())
flag = st.booleans()


def sizes(rank: int, low: int = 1, high: int = 4):
    """An int or a tuple of ``rank`` ints, as Keras accepts for kernel_size and strides."""
    one = st.integers(low, high)
    return st.one_of(one, st.tuples(*[one] * rank))


def spatial(rank: int, high: int = 9):
    side = st.one_of(*[st.integers(1, high)] * 4, st.none())
    return st.tuples(*[side] * rank)


@st.composite
def convolutions(draw):
    rank = draw(st.integers(1, 3))
    kind = draw(st.sampled_from(["Conv", "Transpose", "Depthwise", "Separable"]
                                if rank < 3 else ["Conv", "Transpose"]))
    channels = draw(st.integers(1, 6))
    shape = (*draw(spatial(rank, 9 if rank < 3 else 6)), channels)
    kwargs = {"kernel_size": draw(sizes(rank, 1, 4)), "use_bias": draw(flag)}
    if draw(flag):
        kwargs["strides"] = draw(sizes(rank, 1, 3))
    if draw(flag):
        kwargs["dilation_rate"] = draw(sizes(rank, 1, 2))
    paddings = ["valid", "same"] + (["causal"] if rank == 1 and kind == "Conv" else [])
    kwargs["padding"] = draw(st.sampled_from(paddings))
    if kind == "Depthwise":
        kwargs["depth_multiplier"] = draw(st.integers(1, 3))
        return L(f"DepthwiseConv{rank}D", **kwargs), shape
    filters = draw(st.integers(1, 8))
    if kind == "Conv":
        groups = draw(st.sampled_from([g for g in (1, 2, 3) if channels % g == 0]))
        if groups > 1:
            kwargs["groups"], filters = groups, filters * groups
        return L(f"Conv{rank}D", filters, **kwargs), shape
    if kind == "Separable":
        kwargs["depth_multiplier"] = draw(st.integers(1, 3))
        return L(f"SeparableConv{rank}D", filters, **kwargs), shape
    if draw(flag):
        strides = kwargs.get("strides", 1)
        strides = (strides,) * rank if isinstance(strides, int) else strides
        kwargs["output_padding"] = tuple(draw(st.integers(0, s - 1)) for s in strides)
    return L(f"Conv{rank}DTranspose", filters, **kwargs), shape


@st.composite
def recurrent(draw):
    name = draw(st.sampled_from(["SimpleRNN", "LSTM", "GRU"]))
    kwargs = {"use_bias": draw(flag), "return_sequences": draw(flag)}
    if name == "GRU":
        kwargs["reset_after"] = draw(flag)
    layer = L(name, draw(st.integers(1, 8)), **kwargs)
    shape = (draw(st.one_of(st.integers(1, 5), st.none())), draw(dim))
    if draw(flag):
        mode = draw(st.sampled_from(["concat", "sum", "ave", "mul"]))
        layer = L("Bidirectional", layer, merge_mode=mode)
    return layer, shape


@st.composite
def dense_layers(draw):
    shape = (*draw(st.lists(maybe_none, max_size=2)), draw(dim))
    kwargs = {"use_bias": draw(flag)}
    if draw(st.integers(0, 4)) == 0:
        kwargs["trainable"] = False
    return L("Dense", draw(st.integers(1, 16)), **kwargs), shape


@st.composite
def embeddings(draw):
    shape = tuple(draw(st.lists(maybe_none, min_size=1, max_size=2)))
    return L("Embedding", draw(st.integers(1, 50)), draw(st.integers(1, 8))), shape


@st.composite
def normalizations(draw):
    shape = tuple(draw(st.lists(dim, min_size=1, max_size=3)))
    rank = len(shape) + 1
    kwargs = {"center": draw(flag), "scale": draw(flag)}
    if draw(st.sampled_from(["BatchNormalization", "LayerNormalization"])) == "LayerNormalization":
        axes = draw(st.lists(st.integers(1, rank - 1), min_size=1, max_size=rank - 1,
                             unique=True))
        kwargs["axis"] = axes[0] if len(axes) == 1 else axes
        return L("LayerNormalization", **kwargs), shape
    kwargs["axis"] = draw(st.sampled_from([-1, *range(1, rank)]))
    if draw(st.integers(0, 4)) == 0:
        kwargs["trainable"] = False
    return L("BatchNormalization", **kwargs), shape


@st.composite
def attentions(draw):
    shape = (draw(st.one_of(st.integers(1, 5), st.none())), draw(dim))
    kwargs = {"use_bias": draw(flag)}
    if draw(flag):
        kwargs["value_dim"] = draw(st.integers(1, 6))
    if draw(flag):
        kwargs["output_shape"] = draw(st.one_of(dim, st.tuples(dim, dim)))
    if draw(st.integers(0, 3)) == 0:
        kwargs["use_gate"] = True
    return L("MultiHeadAttention", draw(st.integers(1, 3)), draw(st.integers(1, 6)),
             **kwargs), shape


@st.composite
def poolings(draw):
    rank = draw(st.integers(1, 3))
    shape = (*draw(spatial(rank, 9 if rank < 3 else 6)), draw(maybe_none))
    kind = draw(st.sampled_from(["Max", "Average"]))
    if draw(flag):
        return L(f"Global{kind}Pooling{rank}D", keepdims=draw(flag)), shape
    kwargs = {"padding": draw(st.sampled_from(["valid", "same"]))}
    if draw(flag):
        kwargs["strides"] = draw(sizes(rank, 1, 3))
    return L(f"{kind}Pooling{rank}D", draw(sizes(rank, 1, 3)), **kwargs), shape


@st.composite
def weightless(draw):
    shape = tuple(draw(st.lists(maybe_none, min_size=1, max_size=3)))
    choice = draw(st.sampled_from(["Dropout", "Flatten", "Reshape", "Activation", "ReLU",
                                   "LeakyReLU", "ELU", "Softmax", "SpatialDropout",
                                   "GaussianNoise"]))
    if choice == "Dropout":
        return L("Dropout", 0.5), shape
    if choice == "GaussianNoise":
        return L("GaussianNoise", 0.1), shape
    if choice == "Activation":
        return L("Activation", "relu"), shape
    if choice == "SpatialDropout":
        return L(f"SpatialDropout{draw(st.integers(1, 3))}D", 0.3), shape
    if choice == "Reshape":
        target = list(draw(st.lists(dim, min_size=1, max_size=3)))
        if draw(flag):
            target[draw(st.integers(0, len(target) - 1))] = -1
        return L("Reshape", tuple(target)), shape
    return L(choice), shape


@st.composite
def chains(draw):
    """A small CNN or sequence model: shapes must flow from layer to layer."""
    if draw(flag):
        shape = (draw(st.integers(4, 10)), draw(st.integers(4, 10)), draw(st.integers(1, 3)))
        layers = [L("Conv2D", draw(st.integers(1, 6)), draw(st.integers(1, 3)),
                    padding=draw(st.sampled_from(["valid", "same"])))]
        layers += draw(st.lists(st.sampled_from([L("MaxPooling2D"), L("BatchNormalization"),
                                                 L("SeparableConv2D", 4, 2),
                                                 L("DepthwiseConv2D", 2),
                                                 L("Conv2DTranspose", 3, 2, strides=2),
                                                 L("Dropout", 0.2)]), max_size=3))
        layers += [L(draw(st.sampled_from(["Flatten", "GlobalAveragePooling2D"]))),
                   L("Dense", draw(st.integers(1, 10)))]
        return layers, shape
    shape = (draw(st.one_of(st.integers(1, 6), st.none())),)
    layers = [L("Embedding", draw(st.integers(2, 30)), draw(st.integers(1, 8)))]
    layers += draw(st.lists(st.sampled_from([L("LSTM", 4, return_sequences=True),
                                             L("GRU", 3, return_sequences=True),
                                             L("MultiHeadAttention", 2, 3),
                                             L("LayerNormalization"), L("Conv1D", 4, 1)]),
                            max_size=3))
    layers += [L("Bidirectional", L("SimpleRNN", draw(st.integers(1, 5)))), L("Dense", 1)]
    return layers, shape


# The properties: in CI, the max_examples below (870, and 80 chains: 950 examples).

SUITES = {"convolutions": (convolutions(), 250), "recurrent": (recurrent(), 120),
          "dense": (dense_layers(), 60), "embedding": (embeddings(), 40),
          "normalization": (normalizations(), 100), "attention": (attentions(), 80),
          "pooling": (poolings(), 120), "weightless": (weightless(), 100)}


def _property(strategy, count):
    @examples(count)
    @given(strategy)
    def test(case):
        layer, shape = case
        compare([layer], shape)
    return test


test_convolutions = _property(*SUITES["convolutions"])
test_recurrent = _property(*SUITES["recurrent"])
test_dense = _property(*SUITES["dense"])
test_embedding = _property(*SUITES["embedding"])
test_normalization = _property(*SUITES["normalization"])
test_attention = _property(*SUITES["attention"])
test_pooling = _property(*SUITES["pooling"])
test_weightless = _property(*SUITES["weightless"])


@examples(80)
@given(chains())
def test_chains(case):
    layers, shape = case
    compare(layers, shape)


def test_the_activations_kb_params_accepts_are_those_of_keras():
    """``activation='nonsense'`` and ``activation=5`` were accepted (found by an attack);
    Keras refuses them."""
    from kb.params.args import ACTIVATIONS

    public = {name for name in dir(keras.activations) if not name.startswith("_")}
    assert ACTIVATIONS == public - {"get", "serialize", "deserialize"}
    for name in ACTIVATIONS:
        assert callable(keras.activations.get(name)), name


def test_glu_is_refused_because_it_halves_the_last_axis():
    """kb params would give Dense(10, activation='glu') 10 outputs; called on data,
    Keras gives 5 (its symbolic shape says 10: found by an attack)."""
    output = keras.layers.Dense(10, activation="glu")(keras.ops.zeros((2, 4)))
    assert tuple(output.shape) == (2, 5)
    with pytest.raises(UsageError, match="halves the last axis"):
        calculate("Dense(10, activation='glu')", (4,))


@pytest.mark.parametrize("layer", [
    L("Dense", 3, activation="nonsense"), L("Dense", 3, activation=5),
    L("Dense", 3, activation="RELU"), L("Dense", 3, activation=""),
    L("Dense", 3, activation=None), L("Dense", 3, activation="hard_swish"),
    L("Activation", "tahn"), L("Activation", "mish"),
    L("LSTM", 2, recurrent_activation="bad"), L("GRU", 2, activation="relu6"),
])
def test_an_activation_is_accepted_or_refused_as_keras_does(layer):
    shape = (5, 3) if layer.name in ("LSTM", "GRU") else (4,)
    counted = dict(CHECKED)  # chosen cases, half refused: not the properties' examples
    compare([layer], shape)
    CHECKED.update(counted)


@pytest.fixture(scope="module", autouse=True)
def mostly_compared():
    """Most examples must be compared, not merely refused by both sides."""
    yield
    total = CHECKED["compared"] + CHECKED["refused"]
    assert CHECKED["refused"] <= total // 5, CHECKED
