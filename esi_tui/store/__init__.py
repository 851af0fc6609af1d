"""Storage: the only code that imports tinydb."""
