"""Tasks: the steps of a sync (extract → diff → load) and the mapping between models.

No URLs and no SQL here: those live in connectors/.
"""
