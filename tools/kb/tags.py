"""The documented set of tags: what each one means, and the spellings that mean the same.

A tag groups entries across categories (every optimizer, every Keras layer, everything
about attention), so the set is small and each tag is used by several entries; the tags
page of the site lists exactly these. ``tag_problem`` says what is wrong with a tag
outside the set, for validation to report; ``canonical`` maps a known variant
(``activations``, ``computer-vision``) to its tag.
"""
import re

TAGS: dict[str, str] = {
    "activation": "activation functions and the nonlinearity they add",
    "architecture": "whole network designs and how their parts fit together",
    "attention": "attention mechanisms and what they compute",
    "augmentation": "making new training examples from old ones",
    "autoencoder": "networks trained to reconstruct their input through a bottleneck",
    "backpropagation": "how gradients are computed and flow backwards",
    "basics": "the building blocks the other entries assume: neurons, weights, layers",
    "calculus": "derivatives, the chain rule, Jacobians and Hessians",
    "classical ml": "methods from before deep learning: trees, SVMs, boosting, clustering",
    "classification": "predicting a class, and what is measured about it",
    "clustering": "grouping examples without labels",
    "cnn": "convolutional networks",
    "compression": "making models smaller: pruning, distillation, quantization",
    "computer vision": "images and video",
    "contrastive": "learning by pulling matching pairs together and pushing others apart",
    "convolution": "the convolution operation and its variants",
    "data": "datasets, splits, leakage and preprocessing",
    "decoding": "turning a model's output distribution into text or sequences",
    "detection": "object detection: boxes, anchors, proposals and their metrics",
    "diffusion": "diffusion and score-based generative models",
    "distributed": "training and serving across several devices",
    "efficiency": "doing the same with less compute, memory or time",
    "embeddings": "vectors that represent tokens, words, images or items",
    "encoder-decoder": "models that map one sequence or image to another",
    "ensemble": "combining several models",
    "evaluation": "metrics and how models are compared",
    "fine-tuning": "adapting a pretrained model to a new task",
    "gan": "generative adversarial networks",
    "generalization": "how well a model does on data it was not trained on",
    "generative": "models that produce new data",
    "gradients": "gradients and the problems they run into",
    "hardware": "GPUs, TPUs and number formats",
    "history": "ideas that shaped the field",
    "hyperparameter": "settings chosen before training, and how to tune them",
    "inference": "using a trained model to make predictions",
    "initialization": "how weights start",
    "keras": "how Keras does it, with checked examples",
    "keras layer": "entries that are a Keras layer",
    "language model": "models of text, large language models and how they are used",
    "learning rate": "the step size and its schedules",
    "linear algebra": "vectors, matrices, tensors and their shapes",
    "loss": "loss functions and objectives",
    "metric": "a number that measures a model's quality",
    "multimodal": "models that combine text, images or sound",
    "nlp": "natural language processing",
    "normalization": "normalization layers and input scaling",
    "numerics": "floating point, precision and numerical stability",
    "optimization": "how parameters are fitted",
    "optimizer": "a named optimization algorithm",
    "overfitting": "fitting the training data at the expense of new data",
    "parameter count": "how many parameters a layer or model has, worked out",
    "pooling": "pooling and downsampling",
    "positional encoding": "how models learn where each token is",
    "pretraining": "training on large data before the task",
    "probability": "probability, distributions and likelihood",
    "prompting": "steering a language model through its input",
    "quantization": "storing and computing with fewer bits",
    "recurrent": "recurrent networks: RNN, LSTM, GRU",
    "regression": "predicting a number",
    "regularization": "techniques that reduce overfitting",
    "reinforcement learning": "agents, rewards, policies and values",
    "representation": "what a network learns to encode",
    "residual": "skip connections and residual blocks",
    "retrieval": "finding related items or documents",
    "sampling": "drawing from a distribution",
    "segmentation": "labelling every pixel",
    "self-supervised": "learning from unlabelled data with a made-up task",
    "sequence": "data that comes in order: text, audio, time series",
    "software": "frameworks and libraries: TensorFlow, Keras, JAX, PyTorch",
    "sparsity": "zeros on purpose: sparse activations, weights or attention",
    "supervised": "learning from labelled examples",
    "theory": "results about what networks can learn and why",
    "tokenization": "splitting text into tokens",
    "training": "the training loop and what happens in it",
    "transfer learning": "reusing what a model learned on one task for another",
    "transformer": "the transformer and its parts",
    "unsupervised": "learning without labels",
}

# Variants that mean a tag of the set (after folding case, hyphens and spaces).
SYNONYMS: dict[str, str] = {
    "activations": "activation", "nonlinearity": "activation",
    "architectures": "architecture",
    "data augmentation": "augmentation",
    "autoencoders": "autoencoder",
    "derivatives": "calculus", "chain rule": "calculus", "hessian": "calculus",
    "classical": "classical ml", "machine learning": "classical ml", "svm": "classical ml",
    "decision trees": "classical ml", "boosting": "classical ml", "bagging": "classical ml",
    "image classification": "classification", "multi class": "classification",
    "binary classification": "classification", "multi label": "classification",
    "cnns": "cnn", "convolutional neural network": "cnn",
    "model compression": "compression", "distillation": "compression",
    "pruning": "compression",
    "vision": "computer vision", "images": "computer vision", "image processing": "computer vision",
    "contrastive learning": "contrastive",
    "convolutions": "convolution", "1x1 convolution": "convolution",
    "dataset": "data", "preprocessing": "data", "data leakage": "data",
    "object detection": "detection", "bounding box": "detection",
    "distributed training": "distributed", "parallelism": "distributed",
    "embedding": "embeddings",
    "seq2seq": "encoder-decoder", "sequence to sequence": "encoder-decoder",
    "ensembling": "ensemble",
    "metrics": "metric", "keras metrics": "metric",
    "gans": "gan",
    "generative model": "generative", "generative models": "generative",
    "gradient": "gradients", "gradient flow": "gradients",
    "gpu": "hardware", "tpu": "hardware",
    "hyperparameters": "hyperparameter", "hyperparameter tuning": "hyperparameter",
    "initializer": "initialization",
    "keras3": "keras", "keras 3": "keras",
    "keras layers": "keras layer", "layers": "keras layer",
    "large language model": "language model", "llm": "language model",
    "language models": "language model",
    "learning rate schedule": "learning rate", "schedule": "learning rate",
    "losses": "loss", "loss function": "loss",
    "normalisation": "normalization",
    "numerical stability": "numerics", "float16": "numerics", "precision format": "numerics",
    "optimisation": "optimization",
    "optimizers": "optimizer", "adaptive learning rate": "optimizer",
    "parameters": "parameter count", "count params": "parameter count",
    "downsampling": "pooling",
    "positional encodings": "positional encoding",
    "pre training": "pretraining",
    "prompt engineering": "prompting",
    "rnn": "recurrent", "rnns": "recurrent", "lstm": "recurrent", "gru": "recurrent",
    "residuals": "residual", "skip connection": "residual", "shortcut": "residual",
    "resnet": "residual", "residual learning": "residual",
    "rl": "reinforcement learning",
    "representation learning": "representation",
    "self supervised learning": "self-supervised",
    "supervised learning": "supervised",
    "transfer-learning": "transfer learning",
    "transformers": "transformer",
    "unsupervised learning": "unsupervised",
    "uncertainty": "probability", "bayesian": "probability", "bayesian inference": "probability",
    "model selection": "evaluation", "validation": "evaluation",
    "cross validation": "evaluation",
    "deployment": "inference", "prediction": "inference",
    "pose estimation": "computer vision", "few shot learning": "transfer learning",
    "policy": "reinforcement learning", "q learning": "reinforcement learning",
    "reward": "reinforcement learning",
    "autodiff": "backpropagation", "automatic differentiation": "backpropagation",
    "tensor": "linear algebra", "tensors": "linear algebra", "broadcasting": "linear algebra",
    "shape": "linear algebra", "automl": "hyperparameter",
    "class imbalance": "classification", "imbalanced data": "classification",
    "capsules": "architecture",
    "neural networks": "basics", "neuron": "basics",
    "building block": "basics",
    "framework": "software", "frameworks": "software", "library": "software",
}


def key(tag: str) -> str:
    """How tags compare: case, hyphens, underscores and spacing ignored."""
    return " ".join(re.sub(r"[-_]", " ", tag.casefold()).split())


_BY_KEY = {key(tag): tag for tag in TAGS}
_SYNONYMS_BY_KEY = {key(variant): tag for variant, tag in SYNONYMS.items()}


def canonical(tag: str) -> str | None:
    """The tag of the set that ``tag`` is or means, or None."""
    folded = key(tag)
    return _BY_KEY.get(folded) or _SYNONYMS_BY_KEY.get(folded)


def tag_problem(tag: str) -> str | None:
    """What is wrong with a tag, for validation to report; None when it is in the set."""
    if tag in TAGS:
        return None
    meant = canonical(tag)
    if meant is not None:
        return f"tag '{tag}' is written '{meant}'"
    return (f"tag '{tag}' is not in the documented set of tags (tools/kb/tags.py); use "
            "one of them, or add it there with a description if several entries need it")


def site_tags(tags: list[str]) -> list[str]:
    """The tags of the set an entry has, in its order, without repeats (what the site
    shows; other keywords still help search)."""
    found = (canonical(tag) for tag in tags)
    return list(dict.fromkeys(tag for tag in found if tag is not None))
