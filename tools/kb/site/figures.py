"""Figures drawn by code at build time: activation functions and their derivatives.

Plain SVG written from the formulas, so the site needs no plotting library and the
pictures cannot drift from the maths. Axes use ``currentColor`` to suit both themes.
"""
import math
from collections.abc import Callable

WIDTH, HEIGHT, MARGIN = 520, 300, 40
FUNCTION_COLOUR, DERIVATIVE_COLOUR = "#3f51b5", "#ef6c00"
LEAKY_SLOPE = 0.2  # keras.activations.leaky_relu's default negative_slope


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


CURVES: dict[str, tuple[str, Callable[[float], float], Callable[[float], float]]] = {
    "relu": ("ReLU", lambda x: max(0.0, x), lambda x: 1.0 if x > 0 else 0.0),
    "leaky-relu": (f"Leaky ReLU (slope {LEAKY_SLOPE})",
                   lambda x: x if x > 0 else LEAKY_SLOPE * x,
                   lambda x: 1.0 if x > 0 else LEAKY_SLOPE),
    "elu": ("ELU (alpha 1)", lambda x: x if x > 0 else math.exp(x) - 1,
            lambda x: 1.0 if x > 0 else math.exp(x)),
    "sigmoid": ("Sigmoid", _sigmoid, lambda x: _sigmoid(x) * (1 - _sigmoid(x))),
    "tanh": ("tanh", math.tanh, lambda x: 1 - math.tanh(x) ** 2),
}
SOFTMAX_INPUT = [2.0, 1.0, 0.1, -1.0]


def figure_for(slug: str) -> str | None:
    """The SVG for a glossary slug, or None when it has no figure."""
    if slug in CURVES:
        return activation_plot(*CURVES[slug])
    if slug == "softmax":
        return softmax_bars(SOFTMAX_INPUT)
    return None


def activation_plot(name: str, function, derivative, x_range=(-4.0, 4.0)) -> str:
    xs = [x_range[0] + i * (x_range[1] - x_range[0]) / 200 for i in range(201)]
    ys = [function(x) for x in xs] + [derivative(x) for x in xs]
    y_low, y_high = min(min(ys), -0.5), max(max(ys), 1.5)

    def px(x):
        return MARGIN + (x - x_range[0]) / (x_range[1] - x_range[0]) * (WIDTH - 2 * MARGIN)

    def py(y):
        return HEIGHT - MARGIN - (y - y_low) / (y_high - y_low) * (HEIGHT - 2 * MARGIN)

    def path(f):
        return " ".join(f"{px(x):.1f},{py(f(x)):.1f}" for x in xs)

    ticks = "".join(
        f'<text x="{px(x):.1f}" y="{py(0) + 14:.1f}" font-size="10" '
        f'text-anchor="middle">{x:g}</text>'
        for x in range(int(x_range[0]), int(x_range[1]) + 1) if x
    ) + "".join(
        f'<text x="{px(0) - 6:.1f}" y="{py(y) + 3:.1f}" font-size="10" '
        f'text-anchor="end">{y:g}</text>'
        for y in range(math.ceil(y_low), math.floor(y_high) + 1) if y
    )
    return _svg(
        f"{name} and its derivative",
        f'<line x1="{MARGIN}" y1="{py(0):.1f}" x2="{WIDTH - MARGIN}" y2="{py(0):.1f}" '
        f'stroke="currentColor" stroke-opacity="0.5"/>'
        f'<line x1="{px(0):.1f}" y1="{MARGIN / 2}" x2="{px(0):.1f}" y2="{HEIGHT - MARGIN}" '
        f'stroke="currentColor" stroke-opacity="0.5"/>{ticks}'
        f'<polyline fill="none" stroke="{DERIVATIVE_COLOUR}" stroke-width="2" '
        f'stroke-dasharray="6 4" points="{path(derivative)}"/>'
        f'<polyline fill="none" stroke="{FUNCTION_COLOUR}" stroke-width="2.5" '
        f'points="{path(function)}"/>'
        + _legend([(FUNCTION_COLOUR, name, ""), (DERIVATIVE_COLOUR, "derivative", "6 4")]),
    )


def softmax(values: list[float]) -> list[float]:
    top = max(values)
    exps = [math.exp(v - top) for v in values]
    return [e / sum(exps) for e in exps]


def softmax_bars(values: list[float]) -> str:
    probabilities = softmax(values)
    slot = (WIDTH - 2 * MARGIN) / len(values)
    top = max(max(values), 1.0)
    baseline = HEIGHT / 2 + 20
    scale = (baseline - 64) / top  # keep the tallest bar clear of the legend
    bars = []
    for i, (v, p) in enumerate(zip(values, probabilities, strict=True)):
        x = MARGIN + i * slot
        for offset, value, colour, label in ((0.12, v, FUNCTION_COLOUR, f"{v:g}"),
                                             (0.52, p, DERIVATIVE_COLOUR, f"{p:.2f}")):
            height = abs(value) * scale
            y = baseline - height if value >= 0 else baseline
            bars.append(f'<rect x="{x + offset * slot:.1f}" y="{y:.1f}" width="{0.36 * slot:.1f}" '
                        f'height="{height:.1f}" fill="{colour}"/>'
                        f'<text x="{x + (offset + 0.18) * slot:.1f}" '
                        f'y="{(y - 4) if value >= 0 else (y + height + 12):.1f}" font-size="11" '
                        f'text-anchor="middle">{label}</text>')
    return _svg(
        "softmax of a vector: inputs and the probabilities they become",
        f'<line x1="{MARGIN}" y1="{baseline}" x2="{WIDTH - MARGIN}" y2="{baseline}" '
        f'stroke="currentColor" stroke-opacity="0.5"/>' + "".join(bars)
        + _legend([(FUNCTION_COLOUR, "input (logit)", ""),
                   (DERIVATIVE_COLOUR, "softmax probability", "")]),
    )


def _legend(items: list[tuple[str, str, str]]) -> str:
    out = []
    for i, (colour, label, dash) in enumerate(items):
        y = 16 + 16 * i
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{MARGIN + 4}" y1="{y}" x2="{MARGIN + 28}" y2="{y}" '
                   f'stroke="{colour}" stroke-width="2.5"{dashes}/>'
                   f'<text x="{MARGIN + 34}" y="{y + 4}" font-size="12">{label}</text>')
    return "".join(out)


def _svg(title: str, body: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'role="img" aria-label="{title}" class="kb-figure" fill="currentColor">'
            f"<title>{title}</title>{body}</svg>")
