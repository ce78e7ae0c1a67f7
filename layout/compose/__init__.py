"""compose: text → lines.  Break opportunities (UAX #14 with the Chinese
tailoring), 禁则, punctuation compression and justification; knows nothing of
pages.  Composed paragraphs are kept between runs by `store`."""
