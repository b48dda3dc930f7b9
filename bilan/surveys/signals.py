"""What this app tells the apps above it, without importing them (they sit above in the layers)."""

from django.dispatch import Signal

# Sent with ``campaign`` when many answers arrived at once (an import): the comments pass
# (bilan.commentary) is then prepared by the worker rather than at the next page that needs it.
answers_imported = Signal()
