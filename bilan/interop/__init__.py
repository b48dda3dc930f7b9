"""File formats in and out (pure core, no Django import)."""
