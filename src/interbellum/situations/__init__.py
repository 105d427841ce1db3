"""Situations: time-bounded relations an article reports (who is present where, controls what, supports or
fights whom), and their spans over the store."""
