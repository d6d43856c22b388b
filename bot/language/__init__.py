"""Language detection and translation."""
