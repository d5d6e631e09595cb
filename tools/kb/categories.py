"""The fixed set of glossary categories: slug -> display name, in reading order."""

CATEGORIES: dict[str, str] = {
    "fundamentals": "Fundamentals",
    "layers": "Layers and building blocks",
    "activations": "Activation functions",
    "normalization": "Normalization",
    "architectures": "Architectures",
    "transformers-and-language-models": "Transformers and language models",
    "generative-models": "Generative models",
    "computer-vision": "Computer vision",
    "training": "Training and optimization",
    "losses": "Loss functions",
    "regularization": "Regularization",
    "efficiency": "Efficiency and scale",
    "evaluation": "Evaluation",
    "reinforcement-learning": "Reinforcement learning",
    "tasks": "Tasks and applications",
    "classical-ml": "Classical machine learning",
}
