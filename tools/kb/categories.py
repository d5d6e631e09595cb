"""The fixed set of glossary categories: slug -> display name, in reading order."""

CATEGORIES: dict[str, str] = {
    "fundamentals": "Fundamentals",
    "layers": "Layers and building blocks",
    "activations": "Activation functions",
    "architectures": "Architectures",
    "training": "Training and optimization",
    "regularization": "Regularization and normalization",
    "evaluation": "Evaluation",
    "tasks": "Tasks and applications",
    "classical-ml": "Classical machine learning",
}
