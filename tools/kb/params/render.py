"""``kb params`` output: a summary for one layer, a table for a chain, or JSON."""
from .model import Summary
from .spec import format_shape


def as_json(summary: Summary) -> dict:
    """The documented JSON: totals, output shape, and one object per layer."""
    return {
        "input_shape": [None, *summary.input_shape],
        "total": summary.total,
        "trainable": summary.trainable,
        "non_trainable": summary.non_trainable,
        "output_shape": [None, *summary.output_shape],
        "layers": [{"name": row.name, "type": row.type, "spec": row.spec,
                    "output_shape": [None, *row.output_shape], "params": row.params,
                    "trainable": row.trainable, "non_trainable": row.non_trainable,
                    "formula": row.formula} for row in summary.rows],
    }


def as_text(summary: Summary) -> str:
    """One layer: its formula and counts; several: a table, then the totals."""
    head = f"Input shape: {format_shape(summary.input_shape)}"
    if len(summary.rows) == 1:
        row = summary.rows[0]
        lines = [f"{row.spec} on input {format_shape(summary.input_shape)}",
                 f"Output shape:  {format_shape(row.output_shape)}",
                 f"Formula:       {row.formula}{_note(row) if row.params else ' (no weights)'}"]
        return "\n".join([*lines, *_totals(summary)])
    table = [("Layer (type)", "Output shape", "Params", "Formula")]
    table += [(f"{row.name} ({row.type})", format_shape(row.output_shape), f"{row.params:,}",
               row.formula + _note(row) if row.params else "-") for row in summary.rows]
    widths = [max(len(line[column]) for line in table) for column in range(3)]
    lines = [f"{name:<{widths[0]}}  {shape:<{widths[1]}}  {params:>{widths[2]}}  {formula}"
             for name, shape, params, formula in table]
    rule = "-" * max(len(line) for line in lines)
    return "\n".join([head, rule, lines[0], rule, *lines[1:], rule, *_totals(summary)])


def _note(row) -> str:
    return f" ({row.non_trainable:,} non-trainable)" if row.non_trainable else ""


def _totals(summary: Summary) -> list[str]:
    return [f"Total params:  {summary.total:,}",
            f"Trainable:     {summary.trainable:,}",
            f"Non-trainable: {summary.non_trainable:,}"]
