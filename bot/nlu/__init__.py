"""Natural-language understanding: Rasa-format data, engines, evaluation."""
