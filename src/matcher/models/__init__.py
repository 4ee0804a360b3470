"""Trained models shipped as package data, one folder per version (``placement-2026.11/``).

Each folder holds plain arrays and metadata (:mod:`matcher.modelfile`), read with
:mod:`importlib.resources`, so a wheel scores with the same model as a source checkout. The
expected digests are recorded in :data:`matcher.learned.SHIPPED_MODEL_SHA256`.
"""
