"""Content: UI strings (gettext catalogs), FAQ answers, flows and rules from the database."""
