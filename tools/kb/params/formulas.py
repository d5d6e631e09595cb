"""Parameter counts of Keras 3 layers as plain integer functions, for articles to import.

Every function here is checked against ``count_params()`` of the real Keras layer by the
property tests in ``tests/test_params_keras.py``.
"""
from math import prod


def _size(kernel: int | tuple[int, ...]) -> int:
    return kernel if isinstance(kernel, int) else prod(kernel)


def dense(inputs: int, units: int, use_bias: bool = True) -> int:
    """``Dense(units)`` on ``inputs`` features: a weight matrix and one bias per unit."""
    return inputs * units + (units if use_bias else 0)


def conv(kernel: int | tuple[int, ...], c_in: int, filters: int, use_bias: bool = True,
         groups: int = 1) -> int:
    """``Conv1D/2D/3D`` (and their ``Transpose``): one kernel per (input, output) channel."""
    return _size(kernel) * (c_in // groups) * filters + (filters if use_bias else 0)


def depthwise_conv(kernel: int | tuple[int, ...], c_in: int, depth_multiplier: int = 1,
                   use_bias: bool = True) -> int:
    """``DepthwiseConv1D/2D``: ``depth_multiplier`` kernels per input channel."""
    outputs = c_in * depth_multiplier
    return _size(kernel) * outputs + (outputs if use_bias else 0)


def separable_conv(kernel: int | tuple[int, ...], c_in: int, filters: int,
                   depth_multiplier: int = 1, use_bias: bool = True) -> int:
    """``SeparableConv1D/2D``: a depthwise kernel, then a 1 x 1 pointwise one."""
    depthwise = _size(kernel) * c_in * depth_multiplier
    return depthwise + c_in * depth_multiplier * filters + (filters if use_bias else 0)


def simple_rnn(n: int, m: int, use_bias: bool = True) -> int:
    """``SimpleRNN(m)`` on ``n`` features: input weights, recurrent weights, bias."""
    return n * m + m * m + (m if use_bias else 0)


def lstm(n: int, m: int, use_bias: bool = True) -> int:
    """``LSTM(m)`` on ``n`` features: four gates, each a ``simple_rnn``."""
    return 4 * simple_rnn(n, m, use_bias)


def gru(n: int, m: int, reset_after: bool = True, use_bias: bool = True) -> int:
    """``GRU(m)``: three gates; ``reset_after`` (the default) keeps two biases per gate."""
    biases = (2 * m if reset_after else m) if use_bias else 0
    return 3 * (n * m + m * m + biases)


def embedding(vocab: int, dim: int) -> int:
    """``Embedding(vocab, dim)``: one ``dim``-vector per token."""
    return vocab * dim


def batch_norm(c: int, center: bool = True, scale: bool = True) -> int:
    """``BatchNormalization`` on ``c`` channels: gamma, beta, and the two moving statistics.

    The moving mean and variance (``2 * c``) are non-trainable.
    """
    return (int(center) + int(scale) + 2) * c


def layer_norm(c: int, center: bool = True, scale: bool = True) -> int:
    """``LayerNormalization`` over ``c`` features: gamma and beta."""
    return (int(center) + int(scale)) * c


def multi_head_attention(d: int, num_heads: int, key_dim: int, value_dim: int | None = None,
                         use_bias: bool = True, output_dim: int | None = None,
                         use_gate: bool = False) -> int:
    """``MultiHeadAttention`` as self-attention on ``d`` features.

    Query and key project ``d`` to ``num_heads x key_dim``, value (and the gate, with
    ``use_gate``) to ``num_heads x value_dim``; the output projects back to ``output_dim``
    (``d`` by default).
    """
    value_dim = key_dim if value_dim is None else value_dim
    output_dim = d if output_dim is None else output_dim
    query = key = dense(d, num_heads * key_dim, use_bias)
    value = dense(d, num_heads * value_dim, use_bias)
    gate = value if use_gate else 0
    return query + key + value + gate + dense(num_heads * value_dim, output_dim, use_bias)
