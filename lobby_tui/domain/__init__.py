"""The domain core: tiers, guidance, ID numbers, amounts and figures.

Nothing here imports Textual or SQLite; tests/test_layers.py checks that in a subprocess.
"""
