"""Pure domain logic: questionnaires, conditions, tallies, replay format. No textual, tinydb or rich."""
