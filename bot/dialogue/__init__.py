"""The conversation manager: state, policy (FAQ / flow / clarify / fallback), rendering."""
