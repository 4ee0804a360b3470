"""How the placement model is made: history format, simulation, training, evaluation, model card.

Importable as ``matcher.training`` (``matcher train``, ``matcher evaluate``, ``matcher
simulate-history``); a service that only scores never imports it. See ``README.md`` here.
"""
