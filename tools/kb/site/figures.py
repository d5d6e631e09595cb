"""Figures computed by code at build time: activation functions and their derivatives,
softmax, learning-rate schedules, a training run's loss curves, a convolution's sliding
window and an attention map. Nothing is drawn by hand, so no picture can drift from the
maths (tests compare the curves with Keras).

Each figure is HTML and a little SVG, sized by the page: it fills the column, the plot
stretches (lines keep their width), and every label is HTML text at body size, in the
theme's colours (``--kb-series-*`` in extra.css, checked for contrast in both themes).
"""
import html
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

PLOT = 1000  # the plot area's own coordinates, stretched to the figure's size
LEAKY_SLOPE = 0.2  # keras.activations.leaky_relu's default negative_slope
PRELU_SLOPE = 0.25  # a typical learned slope (He et al. start PReLU there)
SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805


@dataclass(frozen=True)
class Figure:
    html: str
    caption: str


@dataclass(frozen=True)
class Series:
    label: str
    points: list[tuple[float, float]]
    dashed: bool = False


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _softplus(x: float) -> float:
    return math.log1p(math.exp(-abs(x))) + max(x, 0.0)


def _gelu(x: float) -> float:
    return 0.5 * x * (1 + math.erf(x / math.sqrt(2)))


def _hard_sigmoid(x: float) -> float:  # Keras 3: relu6(x + 3) / 6
    return min(max(x + 3, 0.0), 6.0) / 6


def _derivative(f: Callable[[float], float]) -> Callable[[float], float]:
    step = 1e-5
    return lambda x: (f(x + step) - f(x - step)) / (2 * step)


# slug -> (name, function, derivative); the name is what the legend shows
ACTIVATIONS: dict[str, tuple[str, Callable, Callable]] = {
    "relu": ("ReLU", lambda x: max(0.0, x), lambda x: 1.0 if x > 0 else 0.0),
    "leaky-relu": (f"Leaky ReLU (slope {LEAKY_SLOPE})",
                   lambda x: x if x > 0 else LEAKY_SLOPE * x,
                   lambda x: 1.0 if x > 0 else LEAKY_SLOPE),
    "prelu": (f"PReLU (learned slope, here {PRELU_SLOPE})",
              lambda x: x if x > 0 else PRELU_SLOPE * x,
              lambda x: 1.0 if x > 0 else PRELU_SLOPE),
    "elu": ("ELU (alpha 1)", lambda x: x if x > 0 else math.exp(x) - 1,
            lambda x: 1.0 if x > 0 else math.exp(x)),
    "selu": ("SELU", lambda x: SELU_SCALE * (x if x > 0 else SELU_ALPHA * (math.exp(x) - 1)),
             lambda x: SELU_SCALE * (1.0 if x > 0 else SELU_ALPHA * math.exp(x))),
    "sigmoid": ("Sigmoid", _sigmoid, lambda x: _sigmoid(x) * (1 - _sigmoid(x))),
    "tanh": ("tanh", math.tanh, lambda x: 1 - math.tanh(x) ** 2),
    "softplus": ("Softplus", _softplus, _sigmoid),
    "gelu": ("GELU", _gelu, _derivative(_gelu)),
    "silu": ("SiLU (swish)", lambda x: x * _sigmoid(x), _derivative(lambda x: x * _sigmoid(x))),
    "mish": ("Mish", lambda x: x * math.tanh(_softplus(x)),
             _derivative(lambda x: x * math.tanh(_softplus(x)))),
    "hard-sigmoid": ("Hard sigmoid", _hard_sigmoid, _derivative(_hard_sigmoid)),
    "hard-swish": ("Hard swish", lambda x: x * _hard_sigmoid(x),
                   _derivative(lambda x: x * _hard_sigmoid(x))),
}
SOFTMAX_INPUT = [2.0, 1.0, 0.1, -1.0]


def figure_for(slug: str) -> Figure | None:
    """The figure of a glossary entry, or None when it has none."""
    if slug in ACTIVATIONS:
        return activation_figure(*ACTIVATIONS[slug])
    maker = FIGURES.get(slug)
    return maker() if maker else None


# --- charts ---------------------------------------------------------------------------

def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high], about ``count`` of them."""
    span = high - low
    raw = span / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks, value = [], first
    while value <= high + 1e-9:
        ticks.append(round(value, 10) + 0.0)
        value += step
    return ticks


def _number(value: float) -> str:
    text = f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return text.replace("-", "\u2212")  # a real minus sign


def line_chart(title: str, series: list[Series], x_label: str, y_label: str,
               x_range: tuple[float, float] | None = None,
               y_range: tuple[float, float] | None = None,
               marks: list[tuple[float, str]] = ()) -> str:
    """A line chart: ``series`` drawn over labelled axes, with vertical ``marks``
    (x, label). The plot stretches to the figure; text stays HTML at body size."""
    xs = [x for s in series for x, _ in s.points]
    ys = [y for s in series for _, y in s.points]
    x_low, x_high = x_range or (min(xs), max(xs))
    y_low, y_high = y_range or (min(ys), max(ys))
    pad = (y_high - y_low) * 0.06
    y_low, y_high = y_low - pad, y_high + pad

    def px(x: float) -> float:
        return (x - x_low) / (x_high - x_low) * PLOT

    def py(y: float) -> float:
        return PLOT - (y - y_low) / (y_high - y_low) * PLOT

    x_ticks = nice_ticks(x_low, x_high, 9)
    y_ticks = [y for y in nice_ticks(y_low, y_high, 6) if y_low <= y <= y_high]
    grid = "".join(f'<line class="kb-grid" x1="0" x2="{PLOT}" y1="{py(y):.1f}" '
                   f'y2="{py(y):.1f}"/>' for y in y_ticks)
    grid += "".join(f'<line class="kb-grid" y1="0" y2="{PLOT}" x1="{px(x):.1f}" '
                    f'x2="{px(x):.1f}"/>' for x in x_ticks)
    axes = ""
    if y_low < 0 < y_high:
        axes += f'<line class="kb-axis" x1="0" x2="{PLOT}" y1="{py(0):.1f}" y2="{py(0):.1f}"/>'
    if x_low < 0 < x_high:
        axes += f'<line class="kb-axis" y1="0" y2="{PLOT}" x1="{px(0):.1f}" x2="{px(0):.1f}"/>'
    mark_lines = "".join(f'<line class="kb-mark" y1="0" y2="{PLOT}" x1="{px(x):.1f}" '
                         f'x2="{px(x):.1f}"/>' for x, _ in marks)
    lines = "".join(
        f'<polyline class="kb-series kb-series-{i + 1}{" kb-dashed" if s.dashed else ""}" '
        f'points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in _simplified(s.points, px, py))}"/>'
        for i, s in enumerate(series))
    ticks = "".join(f'<span class="kb-tick kb-tick-x" style="left:{px(x) / 10:.2f}%">'
                    f"{_number(x)}</span>" for x in x_ticks)
    ticks += "".join(f'<span class="kb-tick kb-tick-y" style="top:{py(y) / 10:.2f}%">'
                     f"{_number(y)}</span>" for y in y_ticks)
    ticks += "".join(f'<span class="kb-mark-label" style="left:{px(x) / 10:.2f}%">'
                     f"{html.escape(label)}</span>" for x, label in marks)
    legend = "".join(f'<li><span class="kb-swatch kb-series-{i + 1}'
                     f'{" kb-dashed" if s.dashed else ""}"></span>{html.escape(s.label)}</li>'
                     for i, s in enumerate(series))
    return (f'<div class="kb-chart" role="img" aria-label="{html.escape(title)}">'
            f'<ul class="kb-legend">{legend}</ul>'
            f'<span class="kb-axis-label kb-axis-label-y">{html.escape(y_label)}</span>'
            f'<div class="kb-plot"><svg viewBox="0 0 {PLOT} {PLOT}" preserveAspectRatio="none" '
            f'aria-hidden="true" focusable="false">{grid}{axes}{mark_lines}{lines}</svg>'
            f"{ticks}</div>"
            f'<span class="kb-axis-label kb-axis-label-x">{html.escape(x_label)}</span></div>')


def _simplified(points, px, py, tolerance: float = 0.4) -> list[tuple[float, float]]:
    """The points in plot coordinates, without those that lie on the straight line
    between their neighbours (a straight stretch needs only its two ends)."""
    mapped = [(px(x), py(y)) for x, y in points]
    if len(mapped) < 3:
        return mapped
    kept = [mapped[0]]
    for here, after in zip(mapped[1:], mapped[2:], strict=False):
        (x0, y0), (x1, y1), (x2, y2) = kept[-1], here, after
        span = math.hypot(x2 - x0, y2 - y0) or 1.0
        if abs((x2 - x0) * (y0 - y1) - (x0 - x1) * (y2 - y0)) / span > tolerance:
            kept.append(here)
    kept.append(mapped[-1])
    return kept


def _sample(f: Callable[[float], float], low: float, high: float, n: int = 240):
    return [(low + i * (high - low) / n, f(low + i * (high - low) / n)) for i in range(n + 1)]


def activation_figure(name: str, function, derivative, x_range=(-4.0, 4.0)) -> Figure:
    points = _sample(function, *x_range)
    slopes = _sample(derivative, *x_range)
    ys = [y for _, y in points + slopes]
    chart = line_chart(
        f"Plot of {name} and its derivative for x from {x_range[0]:g} to {x_range[1]:g}",
        [Series(name, points), Series("its derivative", slopes, dashed=True)],
        "input x", "output", x_range, (min(min(ys), -0.5), max(max(ys), 1.5)))
    return Figure(chart, f"{name} (solid) and its derivative (dashed), computed from the "
                         "formula when the site is built.")


def softmax(values: list[float]) -> list[float]:
    top = max(values)
    exps = [math.exp(v - top) for v in values]
    return [e / sum(exps) for e in exps]


def softmax_figure(values: list[float] = SOFTMAX_INPUT) -> Figure:
    """Logits and the probabilities softmax turns them into, as two bar columns."""
    probabilities = softmax(values)
    low, high = min(min(values), 0.0), max(max(values), 0.0)

    def bar(value: float, low: float, high: float, series: int) -> str:
        zero = (0 - low) / (high - low) * 100
        left = (min(value, 0) - low) / (high - low) * 100
        width = abs(value) / (high - low) * 100
        return (f'<span class="kb-bar-track"><span class="kb-bar kb-fill-{series}" '
                f'style="left:{left:.1f}%;width:{width:.1f}%"></span>'
                f'<span class="kb-bar-zero" style="left:{zero:.1f}%"></span></span>')

    rows = "".join(
        f"<tr><th scope=\"row\">class {i + 1}</th>"
        f"<td>{bar(v, low, high, 1)}<span class=\"kb-bar-value\">{_number(v)}</span></td>"
        f"<td>{bar(p, 0.0, 1.0, 2)}<span class=\"kb-bar-value\">{p:.2f}</span></td></tr>"
        for i, (v, p) in enumerate(zip(values, probabilities, strict=True)))
    table = (f'<table class="kb-bars"><caption>logits and their softmax probabilities'
             f'</caption><thead><tr><th scope="col">input</th>'
             f'<th scope="col">logit</th><th scope="col">softmax probability</th></tr>'
             f"</thead><tbody>{rows}</tbody></table>")
    return Figure(table, f"softmax of the logits {', '.join(_number(v) for v in values)}: the "
                         "probabilities keep the order and sum to 1.")


# --- learning-rate schedules ----------------------------------------------------------

PEAK_RATE, EPOCHS, WARMUP = 0.1, 100, 10


def step_decay(epoch: float, rate: float = PEAK_RATE, every: int = 30, factor: float = 0.1):
    """keras.optimizers.schedules.ExponentialDecay with staircase=True."""
    return rate * factor ** math.floor(epoch / every)


def cosine_decay(epoch: float, rate: float = PEAK_RATE, steps: int = EPOCHS,
                 warmup: int = 0, alpha: float = 0.0) -> float:
    """keras.optimizers.schedules.CosineDecay (with warmup_target=rate when warming up:
    a linear warm-up from 0, then the cosine)."""
    if epoch < warmup:
        return rate * epoch / warmup
    progress = min(epoch - warmup, steps - warmup) / (steps - warmup)
    return rate * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * progress)) + alpha)


def schedule_figure() -> Figure:
    epochs = [e / 2 for e in range(2 * EPOCHS + 1)]
    series = [
        Series("step decay (x0.1 every 30 epochs)", [(e, step_decay(e)) for e in epochs]),
        Series("cosine decay", [(e, cosine_decay(e)) for e in epochs], dashed=True),
        Series(f"linear warm-up ({WARMUP} epochs), then cosine",
               [(e, cosine_decay(e, warmup=WARMUP)) for e in epochs]),
    ]
    chart = line_chart("Three learning-rate schedules over 100 epochs, from a peak of 0.1",
                       series, "epoch", "learning rate", (0, EPOCHS), (0, PEAK_RATE))
    return Figure(chart, "Three common schedules from the same peak rate, computed with "
                         "the formulas of Keras' schedules.")


# --- a training run: loss curves ------------------------------------------------------

@cache
def training_run(epochs: int = 1000, seed: int = 3) -> tuple[list, list]:
    """A real (tiny) training run: 21 radial-basis weights fitted with Adam to 14 noisy
    samples of sin(3x). Returns the (epoch, loss) curves on the training samples and on
    200 held-out samples; the second one turns up once the model fits the noise."""
    rng = random.Random(seed)

    def draw(n: int) -> list[tuple[float, float]]:
        xs = [rng.uniform(-1, 1) for _ in range(n)]
        return [(x, math.sin(3 * x) + rng.gauss(0, 0.3)) for x in xs]

    train, held_out = draw(14), draw(200)
    centres = [-1 + 2 * i / 19 for i in range(20)]

    def features(x: float) -> list[float]:
        return [math.exp(-((x - c) / 0.12) ** 2) for c in centres] + [1.0]

    train_f = [(features(x), y) for x, y in train]
    held_f = [(features(x), y) for x, y in held_out]
    weights = [0.0] * 21
    m, v = [0.0] * 21, [0.0] * 21

    def loss(data) -> float:
        return sum((sum(w * f for w, f in zip(weights, fs, strict=True)) - y) ** 2
                   for fs, y in data) / len(data)

    curves = ([(0, loss(train_f))], [(0, loss(held_f))])
    for epoch in range(1, epochs + 1):
        grad = [0.0] * 21
        for fs, y in train_f:
            error = sum(w * f for w, f in zip(weights, fs, strict=True)) - y
            for i, f in enumerate(fs):
                grad[i] += 2 * error * f / len(train_f)
        for i in range(21):
            m[i] = 0.9 * m[i] + 0.1 * grad[i]
            v[i] = 0.999 * v[i] + 0.001 * grad[i] ** 2
            weights[i] -= 0.006 * (m[i] / (1 - 0.9 ** epoch)) / (
                math.sqrt(v[i] / (1 - 0.999 ** epoch)) + 1e-8)
        if epoch % 10 == 0:
            curves[0].append((epoch, loss(train_f)))
            curves[1].append((epoch, loss(held_f)))
    return curves


def loss_curve_figure() -> Figure:
    train, validation = training_run()
    best = min(validation, key=lambda point: point[1])[0]
    chart = line_chart(
        f"Training and validation loss over {train[-1][0]} epochs: training loss keeps "
        f"falling, validation loss is lowest at epoch {best} and then rises",
        [Series("training loss", train), Series("validation loss", validation, dashed=True)],
        "epoch", "mean squared error", y_range=(0, max(y for _, y in train + validation)),
        marks=[(best, f"lowest validation loss (epoch {best})")])
    return Figure(chart, "A real training run, made when the site is built: a small model "
                         "fits 14 noisy points; past the mark it learns their noise.")


# --- a convolution's sliding window ---------------------------------------------------

CONV_INPUT = [[3, 1, 0, 2, 1],
              [1, 4, 2, 0, 3],
              [0, 2, 5, 1, 0],
              [2, 0, 1, 3, 2],
              [1, 3, 0, 2, 4]]
CONV_KERNEL = [[1, 0, -1],
               [2, 0, -2],
               [1, 0, -1]]


def convolve(image: list[list[int]], kernel: list[list[int]]) -> list[list[int]]:
    """A 'valid' 2-D convolution as Keras' Conv2D computes it (cross-correlation: the
    kernel is not flipped), stride 1."""
    k = len(kernel)
    size = len(image) - k + 1
    return [[sum(image[r + i][c + j] * kernel[i][j] for i in range(k) for j in range(k))
             for c in range(size)] for r in range(size)]


def _products(r: int, c: int) -> str:
    k = len(CONV_KERNEL)
    terms = [f"{CONV_INPUT[r + i][c + j]}\u00d7{_number(CONV_KERNEL[i][j])}"
             for i in range(k) for j in range(k)]
    total = convolve(CONV_INPUT, CONV_KERNEL)[r][c]
    return " + ".join(terms) + f" = {_number(total)}"


def _grid(values, caption: str, css: str, cell) -> str:
    rows = "".join("<tr>" + "".join(cell(r, c, v) for c, v in enumerate(row)) + "</tr>"
                   for r, row in enumerate(values))
    return f'<table class="kb-grid-table {css}"><caption>{caption}</caption>{rows}</table>'


def convolution_figure(position: tuple[int, int] = (1, 1)) -> Figure:
    out = convolve(CONV_INPUT, CONV_KERNEL)
    k, (pr, pc) = len(CONV_KERNEL), position

    def in_cell(r, c, v):
        inside = pr <= r < pr + k and pc <= c < pc + k
        return ('<td class="kb-on">' if inside else "<td>") + f"{_number(v)}</td>"

    def out_cell(r, c, v):
        on = " kb-on" if (r, c) == position else ""
        return (f'<td class="kb-cell{on}" tabindex="0" data-row="{r}" data-col="{c}" '
                f'data-sum="{html.escape(_products(r, c))}">{_number(v)}</td>')

    size = len(CONV_INPUT)
    body = (f'<div class="kb-conv" data-kernel="{k}">'
            + _grid(CONV_INPUT, f"input ({size}\u00d7{size})", "kb-conv-in", in_cell)
            + '<span class="kb-op" aria-hidden="true">\u2217</span>'
            + _grid(CONV_KERNEL, f"kernel ({k}\u00d7{k})", "kb-conv-kernel",
                    lambda r, c, v: f"<td>{_number(v)}</td>")
            + '<span class="kb-op" aria-hidden="true">=</span>'
            + _grid(out, f"output ({len(out)}\u00d7{len(out)})", "kb-conv-out", out_cell)
            + f'<p class="kb-conv-sum" aria-live="polite">{html.escape(_products(pr, pc))}</p>'
            + "</div>")
    return Figure(body, "Each output value is the sum of the window's products with the "
                        "kernel; point at or tab to an output cell to see its window. "
                        "Computed when the site is built.")


# --- attention ------------------------------------------------------------------------

ATTENTION_TOKENS = ["the", "cat", "sat", "on", "the", "mat"]


def attention_weights(tokens: list[str], causal: bool = False, size: int = 8,
                      seed: int = 109) -> list[list[float]]:
    """softmax(Q K^T / sqrt(d)) with Q = K = the tokens' embeddings (fixed random
    vectors, the same for the same word), optionally with the causal mask."""
    rng = random.Random(seed)
    vectors = {word: [rng.gauss(0, 1) for _ in range(size)] for word in dict.fromkeys(tokens)}
    rows = []
    for i, query in enumerate(tokens):
        scores = [sum(a * b for a, b in zip(vectors[query], vectors[key], strict=True))
                  / math.sqrt(size) if not (causal and j > i) else -math.inf
                  for j, key in enumerate(tokens)]
        top = max(scores)
        exps = [math.exp(s - top) if s != -math.inf else 0.0 for s in scores]
        rows.append([e / sum(exps) for e in exps])
    return rows


def attention_figure(causal: bool = False) -> Figure:
    tokens = ATTENTION_TOKENS
    weights = attention_weights(tokens, causal)
    head = "".join(f'<th scope="col">{html.escape(t)}</th>' for t in tokens)
    rows = "".join(
        f'<tr><th scope="row">{html.escape(query)}</th>' + "".join(
            f'<td class="kb-heat-{min(4, int(w * 5))}">{w:.2f}</td>' for w in row) + "</tr>"
        for query, row in zip(tokens, weights, strict=True))
    mask = " with the causal mask" if causal else ""
    table = (f'<table class="kb-heatmap"><caption>attention weights{mask}: each row (a query) '
             f"sums to 1 over the columns (the keys)</caption><thead><tr>"
             f'<td></td>{head}</tr></thead><tbody>{rows}</tbody></table>')
    what = ("a token may only attend to itself and earlier tokens"
            if causal else "each token attends most to itself and to the other copy of its word")
    return Figure(table, f"Scaled dot-product attention over six tokens{mask}: {what}. "
                         "Computed when the site is built, from fixed random embeddings.")


FIGURES: dict[str, Callable[[], Figure]] = {
    "softmax": softmax_figure,
    "learning-rate-schedule": schedule_figure,
    "cosine-decay": schedule_figure,
    "overfitting": loss_curve_figure,
    "early-stopping": loss_curve_figure,
    "learning-curve": loss_curve_figure,
    "convolution": convolution_figure,
    "self-attention": attention_figure,
    "attention-mechanism": attention_figure,
    "scaled-dot-product-attention": attention_figure,
    "causal-attention": lambda: attention_figure(causal=True),
}
