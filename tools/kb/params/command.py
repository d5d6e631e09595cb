"""The ``kb params`` subcommand: parse the arguments, calculate, print."""
import argparse

_EXAMPLES = """examples:
  kb params "Conv2D(32, (3, 3))" --input 28,28,1
  kb params "SimpleRNN(128) -> Dense(10)" --input 5,10
  kb params "Embedding(1000, 64) -> Bidirectional(LSTM(32)) -> Dense(1)" --input None --json

layers: Dense, Conv1D/2D/3D and their Transpose, DepthwiseConv1D/2D, SeparableConv1D/2D,
  SimpleRNN, LSTM, GRU, Bidirectional(...), Embedding, BatchNormalization,
  LayerNormalization, MultiHeadAttention (self-attention), and layers without weights:
  Dropout and its variants, Flatten, Reshape, Max/Average/Global pooling 1D/2D/3D,
  Activation, ReLU, LeakyReLU, ELU, Softmax.

Shapes leave out the batch axis on --input and show it as None in the output, as Keras
does. Counts follow Keras 3; `kb params` itself never imports Keras."""


def register(subparsers) -> None:
    """Add ``params`` to kb's argparse subcommands."""
    command = subparsers.add_parser(
        "params", help="count the parameters of a Keras layer or chain of layers",
        description="Count parameters and output shapes of Keras 3 layers, with the formula "
                    "behind each count.",
        epilog=_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    command.add_argument("spec", help='layers joined by "->", such as '
                                      '"Conv2D(32, (3, 3)) -> Flatten() -> Dense(10)"')
    command.add_argument("--input", required=True, metavar="SHAPE",
                         help="input shape without the batch axis, such as 28,28,1 or "
                              "None,10 (None: any size)")
    command.add_argument("--json", action="store_true", help="print JSON for scripts")
    command.set_defaults(run=run)


def run(args) -> int:
    from ..errors import UsageError
    from ..sanitize import clean
    from .model import calculate
    from .render import as_json, as_text

    try:
        summary = calculate(args.spec, args.input)
        if args.json:
            import json
            print(json.dumps(as_json(summary), indent=2, ensure_ascii=True))
        else:
            print(clean(as_text(summary)))  # the spec's own strings may hold escapes
    except ValueError as error:  # Python refuses to convert integers of 4,300+ digits
        if "integer string conversion" not in str(error):
            raise
        raise UsageError("a number in the spec or --input is too large to print "
                         "(over 4,300 digits)") from None
    return 0
