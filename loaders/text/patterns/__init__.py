"""Every word list and regular expression the text loader matches with, by what it describes.

Only data lives here (and one function that builds a pattern from data): ``names`` — what a
name looks like and which word decides its kind; ``people`` — titles, honorifics and how a post
is written around a name; ``places`` — countries and the cues that introduce a place; ``clauses``
— lists, commas, brackets and clause breaks inside a sentence; ``cues`` — the phrases that signal
a relation or refer back to something named before; ``zh`` — the same for Chinese; ``markup`` —
HTML and Markdown marks and sentence ends. Every pattern is bounded (no nested unbounded
repetition) so a scan stays linear in the length of the text.
"""
